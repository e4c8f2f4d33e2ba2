/**
 * Starts the inventory chaincode with fabric-shim's `Shim.start` (reads CORE_CHAINCODE_ID_NAME,
 * CORE_PEER_ADDRESS / --peer.address and the TLS settings the peer passes).
 */
import { Shim } from 'fabric-shim-ts';
import { InventoryChaincode } from './inventory';

void Shim.start(new InventoryChaincode());
