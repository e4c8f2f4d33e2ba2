// The mock peer's gateway over TLS: the same application code, with the peer's TLS CA as root.
import * as grpc from '@grpc/grpc-js';
import { connect } from '@hyperledger/fabric-gateway';
import { Shim, type ChaincodeInterface, type ChaincodeStub } from '../src';
import { MockPeer, createTlsFixture } from '../src/testing';

class Store implements ChaincodeInterface {
  async Init() {
    return Shim.success();
  }
  async Invoke(stub: ChaincodeStub) {
    const [fcn = '', key = '', value = ''] = stub.getStringArgs();
    if (fcn === 'put') await stub.putState(key, Buffer.from(value));
    return Shim.success(await stub.getState(key));
  }
}

test('evaluate and submit through a TLS gateway', async () => {
  const tls = await createTlsFixture();
  const peer = await MockPeer.start({ gateway: true, tls: { key: tls.server.key, cert: tls.server.cert } });
  const client = new grpc.Client(peer.address, grpc.credentials.createSsl(Buffer.from(tls.ca.cert)));
  try {
    await peer.launch('store', new Store(), { tls: { rootCert: tls.ca.cert } });
    const gateway = connect({ client, ...(await peer.gatewayCredentials()) });
    const contract = gateway.getNetwork('mychannel').getContract('store');
    await contract.submitTransaction('put', 'k', 'v');
    expect(Buffer.from(await contract.evaluateTransaction('get', 'k')).toString()).toBe('v');
    expect(peer.ledger.getString('store', 'k')).toBe('v');
    gateway.close();
  } finally {
    client.close();
    await peer.stop();
  }
});
