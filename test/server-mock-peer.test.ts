/**
 * The mock peer (src/testing) driving a ChaincodeServer the way a Fabric peer drives a
 * chaincode-as-a-service: it dials Connect, the chaincode registers, and signed proposals flow.
 * Two peers on one server at once over mutual TLS, each with its own ledger.
 */
import { server, type ChaincodeServer } from '../src/server';
import { MockPeer } from '../src/testing';
import { createTlsFixture } from '../src/testing/tls';
import { chaincode } from './fixtures/server-chaincode';

const CCID = 'kv_1.0:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
let srv: ChaincodeServer;
const peers: MockPeer[] = [];

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await srv.stop(1_000);
});

it('two mock peers drive one mutual-TLS chaincode server concurrently, each on its own ledger', async () => {
  const tls = await createTlsFixture();
  srv = server(chaincode, {
    ccid: CCID,
    address: '127.0.0.1:0',
    mspId: 'Org1MSP',
    tlsProps: { key: tls.server.key, cert: tls.server.cert, clientCACerts: tls.ca.cert },
  });
  await srv.start();
  const clientTls = { rootCert: tls.ca.cert, clientKey: tls.client.key, clientCert: tls.client.cert };
  const [p1, p2] = [await MockPeer.start(), await MockPeer.start()];
  peers.push(p1, p2);
  const [c1, c2] = [await p1.connect(srv.address, { tls: clientTls }), await p2.connect(srv.address, { tls: clientTls })];
  expect(srv.connections).toBe(2);

  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => [c1.invoke(['put', `k${i}`, `p1-${i}`]), c2.invoke(['put', `k${i}`, `p2-${i}`])]).flat(),
  );
  expect(results.map((r) => r.outcome)).toEqual(Array(20).fill('COMPLETED'));
  expect((await c1.invoke(['get', 'k3'])).payload.toString()).toBe('p1-3');
  expect((await c2.invoke(['get', 'k3'])).payload.toString()).toBe('p2-3');
  expect((await c1.invoke(['whoami'])).payload.toString()).toBe('Org1MSP');
});
