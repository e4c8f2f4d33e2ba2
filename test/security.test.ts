/**
 * Reliability, case 7: security. State values, private data values and transient data never
 * reach a log line at any level up to debug (and keys never above debug); a chaincode server
 * under mutual TLS refuses a peer without a client certificate before any chaincode code runs;
 * TLS files that are missing, hold no PEM or hold a corrupt PEM stop start-up with an error
 * naming the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChaincodeStub } from '../src/stub';
import type { LogRecord } from '../src/logger';
import type { ChaincodeResponse } from '../src/response';

const STATE = 'STATE-CANARY-a81f';
const PRIVATE = 'PRIVATE-CANARY-b27e';
const TRANSIENT = 'TRANSIENT-CANARY-c39d';
const KEY = 'KEY-CANARY-d40c';
const SECRETS = [STATE, PRIVATE, TRANSIENT];
/** Each secret also as it would look if bytes were logged as base64 or hex. */
const FORMS = SECRETS.flatMap((s) => [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex')]);

const records: LogRecord[] = [];

// Loggers read their level when created: every shim module is loaded after this is set.
process.env.CORE_CHAINCODE_LOGGING_SHIM = 'debug';
process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'debug';

describe('no secrets in logs', () => {
  test('state, private and transient values never appear at any level; keys only at debug', async () => {
    const { setLogSink, formatText, formatJson, createLogger } = await import('../src/logger');
    const { connect } = await import('../src/shim');
    const { MockPeer } = await import('../src/testing/mock-peer');
    const { success, error } = await import('../src/response');
    setLogSink({ write: (r) => void records.push(r) });
    const chaincode = {
      Init: async (): Promise<ChaincodeResponse> => success(),
      async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
        const [fcn = ''] = stub.getStringArgs();
        const secret = stub.getTransient().get('secret')?.toString() ?? '';
        if (fcn === 'write') {
          await stub.putState(KEY, Buffer.from(STATE));
          await stub.putPrivateData('col', KEY, Buffer.from(PRIVATE + secret));
          stub.setEvent('ev', Buffer.from(STATE));
          return success(Buffer.from(STATE));
        }
        if (fcn === 'read') {
          const values = [(await stub.getState(KEY)).toString(), (await stub.getPrivateData('col', KEY)).toString()];
          for await (const kv of stub.getStateByRange('', '')) values.push(kv.value.toString());
          for await (const h of await stub.getHistoryForKey(KEY)) values.push(h.value.toString());
          values.push(...(await stub.getMultipleStates(KEY)).map(String));
          return success(Buffer.from(values.join(',')));
        }
        if (fcn === 'fail') return error(`refused for ${KEY}`); // the chaincode's own message: not the shim's to police
        throw new Error('failed on purpose');
      },
    };
    const peer = await MockPeer.start({ logger: createLogger('mock-peer', { level: 'critical' }) });
    try {
      peer.define('sec', { collections: ['col'] });
      const registered = peer.waitForChaincode('sec');
      const conn = connect(chaincode, { peerAddress: peer.address, chaincodeId: 'sec:1' });
      const cc = await registered;
      const transient = { secret: TRANSIENT };
      expect(await cc.invoke(['write'], { transient })).toMatchObject({ status: 200, committed: true });
      const read = await cc.invoke(['read'], { transient });
      expect(read.payload.toString()).toContain(`${STATE},${PRIVATE}${TRANSIENT}`);
      expect(await cc.invoke(['throw'], { transient })).toMatchObject({ outcome: 'ERROR' });
      conn.close();
      await conn.closed;
    } finally {
      await peer.stop();
    }
    // The shim did log at debug (so the check below looked at something).
    const shimDebug = records.filter((r) => r.level === 'debug' && r.logger.startsWith('shim:'));
    expect(shimDebug.length).toBeGreaterThan(5);
    for (const r of records) {
      if (r.logger === 'mock-peer') continue;
      for (const line of [formatText(r), formatJson(r)]) {
        for (const secret of FORMS) expect({ line, leaks: line.includes(secret) }).toEqual({ line, leaks: false });
        if (r.level !== 'debug') expect({ line, key: line.includes(KEY) }).toEqual({ line, key: false });
      }
    }
  }, 30_000);
});

describe('TLS', () => {
  let dir: string;
  let fixture: Awaited<ReturnType<typeof import('../src/testing/tls').createTlsFixture>>;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    const { createTlsFixture } = await import('../src/testing/tls');
    fixture = await createTlsFixture();
    dir = mkdtempSync(join(tmpdir(), 'fst-sec-'));
    const put = (name: string, text: string) => {
      files[name] = join(dir, name);
      writeFileSync(files[name]!, text);
    };
    put('key.pem', fixture.server.keyPem);
    put('cert.pem', fixture.server.certPem);
    put('ca.pem', fixture.ca.certPem);
    put('client-key.pem', fixture.client.keyPem);
    put('client-cert.pem', fixture.client.certPem);
    put('not-pem.pem', 'just some text\n');
    put('corrupt-cert.pem', '-----BEGIN CERTIFICATE-----\nAAAAAAAAAAAA\n-----END CERTIFICATE-----\n');
    put('corrupt-key.pem', '-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n');
    files['missing.pem'] = join(dir, 'missing.pem');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('server mode under mutual TLS refuses a peer without a client certificate; an authenticated one is served', async () => {
    const { server } = await import('../src/server');
    const { MockPeer } = await import('../src/testing/mock-peer');
    const { createLogger } = await import('../src/logger');
    const { success } = await import('../src/response');
    let calls = 0;
    const srv = server(
      { Init: () => success(), Invoke: () => (calls++, success(Buffer.from('served'))) },
      {
        ccid: 'mtls:1',
        address: '127.0.0.1:0',
        tlsProps: {
          key: Buffer.from(fixture.server.key),
          cert: Buffer.from(fixture.server.cert),
          clientCACerts: Buffer.from(fixture.ca.cert),
        },
      },
    );
    await srv.start();
    const peer = await MockPeer.start({ logger: createLogger('peer', { level: 'critical' }) });
    try {
      await expect(peer.connect(srv.address, { name: 'mtls', tls: { rootCert: fixture.ca.cert } })).rejects.toMatchObject({
        code: 'STREAM_CLOSED',
      });
      expect(calls).toBe(0);
      const cc = await peer.connect(srv.address, {
        name: 'mtls',
        tls: { rootCert: fixture.ca.cert, clientKey: fixture.client.key, clientCert: fixture.client.cert },
      });
      expect(await cc.invoke(['x'])).toMatchObject({ status: 200, payload: Buffer.from('served') });
      expect(calls).toBe(1);
    } finally {
      await peer.stop();
      await srv.stop(500);
    }
  });

  test.each(['missing.pem', 'not-pem.pem', 'corrupt-cert.pem'])(
    'client mode: a TLS root certificate file that is %s stops start() naming the file',
    async (name) => {
      const { start } = await import('../src/shim');
      const env = {
        CORE_PEER_ADDRESS: '127.0.0.1:1',
        CORE_CHAINCODE_ID_NAME: 'cc',
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: files[name],
        CORE_TLS_CLIENT_KEY_FILE: files['client-key.pem'],
        CORE_TLS_CLIENT_CERT_FILE: files['client-cert.pem'],
      };
      const cc = { Init: async () => ({ status: 200 }), Invoke: async () => ({ status: 200 }) };
      const err = await start(cc, { argv: [], env }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONFIG', message: expect.stringContaining(files[name]!) });
      expect((err as Error).message).toContain('CORE_PEER_TLS_ROOTCERT_FILE');
    },
  );

  test('client mode: a corrupt client key file is named too', async () => {
    const { readStartConfig } = await import('../src/config');
    const env = {
      CORE_PEER_ADDRESS: 'p:1',
      CORE_CHAINCODE_ID_NAME: 'cc',
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_ROOTCERT_FILE: files['ca.pem'],
      CORE_TLS_CLIENT_KEY_FILE: files['corrupt-key.pem'],
      CORE_TLS_CLIENT_CERT_FILE: files['client-cert.pem'],
    };
    expect(() => readStartConfig([], env)).toThrow(
      expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining(`${files['corrupt-key.pem']} holds a malformed PEM`) }),
    );
  });

  test.each(['missing.pem', 'not-pem.pem', 'corrupt-key.pem'])(
    'server mode: a TLS key file that is %s stops the server command naming the file',
    async (name) => {
      const { serverCommand } = await import('../src/cli/server');
      const saved = { ...process.env };
      let stderr = '';
      const write = process.stderr.write;
      process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
      try {
        process.env.CHAINCODE_SERVER_ADDRESS = '127.0.0.1:0';
        process.env.CHAINCODE_ID = 'sec:1';
        const code = await serverCommand([
          '--chaincode-tls-key-file',
          files[name]!,
          '--chaincode-tls-cert-file',
          files['cert.pem']!,
          '--module',
          join(__dirname, 'fixtures', 'reliability-chaincode.js'),
        ]);
        expect(code).not.toBe(0);
        expect(stderr).toContain(files[name]!);
      } finally {
        process.stderr.write = write;
        process.env = saved;
      }
    },
  );
});
