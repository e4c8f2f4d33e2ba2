/**
 * Structural guarantees behind the performance figures (issue 9), checked without timing
 * anything: loading the package does not load grpc-js (it is loaded at the first dial or
 * serve), and the talk-back hot path takes the hand-written codecs, not the generated ones.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { ChaincodeMessageSchema, ChaincodeMessage_Type as Type, type ChaincodeMessage } from '../src/gen/peer/chaincode_shim_pb';
import { encodeChaincodeMessage } from '../src/codec/envelope';
import { channelOptions } from '../src/stream';

const ROOT = join(__dirname, '..');

/** Modules under @grpc/grpc-js in require.cache after running `script` in a fresh Node process. */
function grpcModulesAfter(script: string): number {
  const probe = `${script}; process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes('@grpc/grpc-js')).length));`;
  return Number(execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', probe], { cwd: ROOT, encoding: 'utf8' }));
}

describe('lazy loading', () => {
  it('require of the package entry does not load grpc-js', () => {
    expect(grpcModulesAfter("require('./src/index')")).toBe(0);
  });

  it('grpc-js is loaded once a stream is needed', () => {
    // Proves the probe can see grpc-js, so the 0 above is meaningful.
    const dial = "const s = require('./src/stream').dialChaincodeSupport('127.0.0.1:1'); s.destroy()";
    expect(grpcModulesAfter(dial)).toBeGreaterThan(0);
  });
});

describe('hot path', () => {
  it('talk-back envelopes are written by hand (a Buffer), not by toBinary (a plain Uint8Array)', () => {
    // The literal the handler sends for every GET_STATE/PUT_STATE/COMPLETED.
    const msg: ChaincodeMessage = {
      $typeName: 'protos.ChaincodeMessage',
      type: Type.GET_STATE,
      payload: new Uint8Array([10, 1, 107]),
      txid: 'tx1',
      channelId: 'ch',
    };
    expect(Buffer.isBuffer(encodeChaincodeMessage(msg))).toBe(true);
    expect(Buffer.isBuffer(encodeChaincodeMessage(create(ChaincodeMessageSchema, { type: Type.RESPONSE, txid: 't' })))).toBe(true);
  });

  it('channelz bookkeeping is off by default and can be turned back on', () => {
    expect(channelOptions()['grpc.enable_channelz']).toBe(0);
    expect(channelOptions({ 'grpc.enable_channelz': 1 })['grpc.enable_channelz']).toBe(1);
  });
});
