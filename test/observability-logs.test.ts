/**
 * Over the mock peer at DEBUG everywhere: no state value, transient value, private value or event
 * payload may reach any log line of the shim or of a chaincode logger, in text or JSON form.
 */
import { formatJson, formatText, getLogSink, newLogger, setLogSink, type LogRecord } from '../src/logger';
import { error, success } from '../src/response';
import { MockPeer } from '../src/testing/mock-peer';
import type { ChaincodeInterface } from '../src/chaincode';

const SECRETS = ['STATE-VALUE-9f1c', 'TRANSIENT-VALUE-77ab', 'PRIVATE-VALUE-03de', 'EVENT-PAYLOAD-5e5e', 'ARG-VALUE-c0c0'];

const records: LogRecord[] = [];
const savedSink = getLogSink();
const savedEnv = { ...process.env };
let peer: MockPeer;
let txIds: { ok: string; failed: string };

/** Uses every API that carries a value; its own logger writes keys and sizes, and the loose forms winston users write. */
const chaincode: ChaincodeInterface = {
  Init: () => success(),
  async Invoke(stub) {
    const log = newLogger('secret-keeper');
    const { fcn, params } = stub.getFunctionAndParameters();
    if (fcn === 'fail') {
      await stub.getState('missing');
      throw new Error('deliberate failure');
    }
    const [key, value] = params as [string, string];
    await stub.putState(key, Buffer.from(value));
    const back = await stub.getState(key);
    log.debug('read back', { key, size: back.length });
    log.debug('raw bytes are logged as their size', Buffer.from(value));
    const secret = stub.getTransient().get('secret');
    if (secret === undefined) return error('no transient secret');
    await stub.putPrivateData('pdc', key, secret);
    const priv = await stub.getPrivateData('pdc', key);
    log.info('private stored', { key, size: priv.length });
    stub.setEvent('Stored', Buffer.from(SECRETS[3] as string));
    return success(Buffer.from('ok'));
  },
};

beforeAll(async () => {
  process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'DEBUG';
  process.env.CORE_CHAINCODE_LOGGING_SHIM = 'DEBUG';
  setLogSink({ write: (r) => void records.push(r) });
  peer = await MockPeer.start({ logger: newLogger('mock-peer') });
  // The shim's loggers read CORE_CHAINCODE_LOGGING_SHIM when the chaincode connects.
  const cc = await peer.launch('keeper', chaincode, { collections: ['pdc'] });
  const ok = await cc.invoke(['store', 'asset1', SECRETS[0] as string, SECRETS[4] as string], {
    transient: { secret: SECRETS[1] as string },
  });
  expect(ok).toMatchObject({ outcome: 'COMPLETED', status: 200 });
  const failed = await cc.invoke(['fail', SECRETS[4] as string], { transient: { secret: SECRETS[2] as string } });
  expect(failed.outcome).toBe('ERROR');
  txIds = { ok: ok.txId, failed: failed.txId };
});

afterAll(async () => {
  await peer.stop();
  setLogSink(savedSink);
  process.env = { ...savedEnv };
});

/** Lines written by the chaincode process: the mock peer stands for the real peer and is not ours to judge. */
const chaincodeLines = (): LogRecord[] => records.filter((r) => r.logger !== 'mock-peer');

it('writes DEBUG lines from the shim and the chaincode (the check below is not vacuous)', () => {
  const lines = chaincodeLines();
  expect(lines.some((r) => r.logger.startsWith('shim:') && r.level === 'debug')).toBe(true);
  expect(lines.some((r) => r.logger === 'secret-keeper' && r.msg === 'read back' && r.fields.key === 'asset1')).toBe(true);
  expect(lines.some((r) => r.msg.includes('deliberate failure') || String(r.fields.error).includes('deliberate failure'))).toBe(true);
});

it('no value, transient data, private data or event payload appears in any line, text or JSON', () => {
  const text = chaincodeLines()
    .map((r) => formatText(r) + formatJson(r))
    .join('');
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  // The byte array handed to a logger shows up as its size.
  expect(text).toContain(`[${(SECRETS[0] as string).length} bytes]`);
});

it("the shim's lines about a transaction carry channel, short txid and function", () => {
  const failure = chaincodeLines().find((r) => r.logger === 'shim:handler' && r.level === 'error' && r.msg === 'Invoke() failed');
  expect(failure?.fields).toMatchObject({ channel: 'mychannel', txid: txIds.failed.slice(0, 8), fn: 'fail', error: 'deliberate failure' });
  // The stub logs through the same per-transaction logger.
  const put = chaincodeLines().find((r) => r.logger === 'shim:handler' && r.msg === 'put' && r.fields.key === 'asset1');
  expect(put?.fields).toMatchObject({ channel: 'mychannel', txid: txIds.ok.slice(0, 8), fn: 'store' });
});
