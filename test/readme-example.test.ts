// The complete example test shown in README.md ("Testing contracts with the mock peer"): keep the two in step.
import { Shim, type ChaincodeInterface, type ChaincodeStub } from 'fabric-shim-ts';
import { MockPeer, type MockChaincode } from 'fabric-shim-ts/testing';

class Counter implements ChaincodeInterface {
  async Init() {
    return Shim.success();
  }
  async Invoke(stub: ChaincodeStub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    const key = params[0] ?? '';
    if (fcn !== 'increment') return Shim.error(`unknown function ${fcn}`);
    const current = Number((await stub.getState(key)).toString() || '0');
    await stub.putState(key, Buffer.from(String(current + 1)));
    stub.setEvent('Incremented', Buffer.from(key));
    return Shim.success(Buffer.from(String(current + 1)));
  }
}

describe('Counter chaincode', () => {
  let peer: MockPeer;
  let cc: MockChaincode;
  beforeAll(async () => {
    peer = await MockPeer.start(); // gRPC on 127.0.0.1, port 0
    cc = await peer.launch('counter', new Counter()); // our shim, in-process, over real gRPC
  });
  afterAll(() => peer.stop()); // stops the server and every launched chaincode

  it('increments over the wire and commits the result', async () => {
    const res = await cc.invoke(['increment', 'visits'], { identity: peer.identity('Org1MSP', { role: 'auditor' }) });
    expect(res.status).toBe(200);
    expect(res.payload.toString()).toBe('1');
    expect(res.events.map((e) => e.eventName)).toEqual(['Incremented']);
    expect(peer.ledger.getString('counter', 'visits')).toBe('1'); // committed world state
  });

  it('rejects an unknown function and commits nothing', async () => {
    const res = await cc.invoke(['decrement', 'visits']);
    expect(res.status).toBe(500);
    expect(res.message).toContain('unknown function');
    expect(peer.ledger.getString('counter', 'visits')).toBe('1');
  });
});
