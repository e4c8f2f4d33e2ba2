/**
 * events-and-calls over the mock peer: `orders` calls `inventory` with invokeChaincode on the
 * same channel, emits an event, and `inventory` protects stock keys with key-level policies.
 */
import { chaincodeFromContracts } from 'fabric-shim-ts/contract';
import { KeyEndorsementPolicy } from 'fabric-shim-ts';
import { MockPeer, type MockChaincode } from 'fabric-shim-ts/testing';
import { contracts, InventoryChaincode, ORDER_PLACED, stockKey, type Order } from '../src';

// The official protobuf classes, to show the policy bytes are a real Fabric SignaturePolicyEnvelope.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fabricProtos = require('@hyperledger/fabric-protos');

describe('events-and-calls example', () => {
  let peer: MockPeer;
  let orders: MockChaincode;
  let inventory: MockChaincode;
  const org1 = () => peer.identity('Org1MSP');

  const stock = (item: string) => peer.ledger.getString('inventory', stockKey(item));

  beforeAll(async () => {
    peer = await MockPeer.start();
    inventory = await peer.launch('inventory', new InventoryChaincode());
    orders = await peer.launch('orders', chaincodeFromContracts(contracts));
    expect((await inventory.invoke(['stock', 'widget', '10'])).payload.toString()).toBe('10');
  });

  afterAll(async () => {
    await peer.stop();
  });

  test('PlaceOrder reserves stock in the called chaincode and emits OrderPlaced; both writes commit together', async () => {
    const res = await orders.invoke(['PlaceOrder', 'o1', 'widget', '3'], { identity: org1() });
    expect(res.status).toBe(200);
    const order: Order = { id: 'o1', item: 'widget', quantity: 3, buyerMSP: 'Org1MSP' };
    expect(JSON.parse(res.payload.toString())).toEqual(order);
    expect(peer.ledger.getJSON('orders', 'order:o1')).toEqual(order);
    expect(stock('widget')).toBe('7'); // the callee's write joined the caller's transaction
    expect(res.events).toHaveLength(1);
    expect(res.events[0]).toMatchObject({ eventName: ORDER_PLACED, txId: res.txId });
    expect(JSON.parse(res.events[0]!.payload.toString())).toEqual(order);
    const calls = orders.wire.filter((w) => w.txId === res.txId && w.direction === 'received').map((w) => w.type);
    expect(calls).toContain('INVOKE_CHAINCODE');
  });

  test('a refusal by the called chaincode fails the order and rolls back both chaincodes', async () => {
    const res = await orders.invoke(['PlaceOrder', 'o2', 'widget', '50']);
    expect(res.status).toBe(500);
    // as from a real peer, the caller sees only status 500 from the callee
    expect(res.message).toBe('inventory refused the reservation of 50 widget (status 500)');
    expect(res.events).toEqual([]);
    expect(peer.ledger.get('orders', 'order:o2')).toBeUndefined();
    expect(stock('widget')).toBe('7');
  });

  test('a read-only call across chaincodes', async () => {
    const res = await orders.invoke(['StockOf', 'widget']);
    expect(res.status).toBe(200);
    expect(res.payload.toString()).toBe('7');
    expect((await orders.invoke(['StockOf', 'gizmo'])).payload.toString()).toBe('0');
  });

  test('key-level endorsement policy: set with KeyEndorsementPolicy, stored as key metadata, read back', async () => {
    const set = await inventory.invoke(['restrict', 'widget', 'Org1MSP', 'Org2MSP']);
    expect(set.status).toBe(200);
    expect(JSON.parse(set.payload.toString())).toEqual(['Org1MSP', 'Org2MSP']);

    const ep = peer.ledger.getMetadata('inventory', stockKey('widget')).VALIDATION_PARAMETER;
    expect(ep).toBeDefined();
    expect(new KeyEndorsementPolicy(ep!).listOrgs().sort()).toEqual(['Org1MSP', 'Org2MSP']);
    const envelope = fabricProtos.common.SignaturePolicyEnvelope.deserializeBinary(ep!);
    const msps = envelope
      .getIdentitiesList()
      .map((p: { getPrincipal(): Uint8Array }) => fabricProtos.common.MSPRole.deserializeBinary(p.getPrincipal()).getMspIdentifier());
    expect(msps.sort()).toEqual(['Org1MSP', 'Org2MSP']);
    // all listed orgs must sign: an n-out-of-n rule over both principals
    expect(envelope.getRule().getNOutOf().getN()).toBe(2);

    expect((await inventory.invoke(['endorsers', 'widget'])).payload.toString()).toBe('["Org1MSP","Org2MSP"]');
    expect((await inventory.invoke(['endorsers', 'gizmo'])).payload.toString()).toBe('[]');
    expect(stock('widget')).toBe('7'); // setting a policy leaves the value alone
  });

  test('a policy on a key with no value is refused (a real peer would silently drop it)', async () => {
    const res = await inventory.invoke(['restrict', 'gizmo', 'Org1MSP']);
    expect(res.status).toBe(500);
    expect(res.message).toContain('has no value');
    expect(peer.ledger.getMetadata('inventory', stockKey('gizmo'))).toEqual({});
  });
});
