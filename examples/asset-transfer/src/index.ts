/**
 * Entry point read by `fabric-shim-ts start` (package.json `main`): like fabric-contract-api,
 * the chaincode is the list of contract classes exported as `contracts`.
 */
import { AssetTransferContract } from './asset-transfer';

export { AssetTransferContract, EVENTS } from './asset-transfer';
export { Asset, AssetHistoryEntry } from './asset';

/** The contracts this chaincode serves; the first is the default for bare function names. */
export const contracts = [AssetTransferContract];
