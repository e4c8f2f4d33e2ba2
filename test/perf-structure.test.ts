/**
 * Structural guarantees behind the performance figures (issues 9 and 16), checked without timing
 * anything: loading the package does not load grpc-js (it is loaded at the first dial or
 * serve), a chaincode registered and idle has booted none of the generated protobuf descriptors,
 * and the talk-back hot path takes the hand-written codecs, not the generated ones.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { ChaincodeMessageSchema, ChaincodeMessage_Type as Type, type ChaincodeMessage } from '../src/gen/peer/chaincode_shim_pb';
import { encodeChaincodeMessage } from '../src/codec/envelope';
import { channelOptions } from '../src/stream';
import { createLogger } from '../src/logger';
import { MockPeer } from '../src/testing/mock-peer';
import { ensureBuiltDist } from './support/dist';

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

describe('generated descriptors off the idle path (issue 16)', () => {
  // A copy of dist/ whose bundled protobuf-es `fileDesc` counts its calls: one per generated
  // file (src/gen, or a well-known type) whose descriptors are booted.
  let dir: string;
  let files: { js: number; mjs: number };
  beforeAll(() => {
    ensureBuiltDist();
    dir = mkdtempSync(join(tmpdir(), 'shim-gen-probe-'));
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    const patched = { js: 0, mjs: 0 };
    // fileDesc calls in each build's bundle: every generated file it could boot.
    const bundled = { js: 0, mjs: 0 };
    for (const name of readdirSync(join(dir, 'dist'))) {
      const file = join(dir, 'dist', name);
      if (!/\.m?js$/.test(name)) continue;
      const code = readFileSync(file, 'utf8');
      const counted = code.replace(
        /^function fileDesc\(([^)]*)\) \{$/m,
        'function fileDesc($1) { globalThis.__fileDescCalls = (globalThis.__fileDescCalls ?? 0) + 1;',
      );
      if (counted === code) continue;
      writeFileSync(file, counted);
      const format = name.endsWith('.mjs') ? 'mjs' : 'js';
      patched[format]++;
      bundled[format] = (code.match(/fileDesc\("/g) ?? []).length;
    }
    // Exactly one copy of protobuf-es per build: otherwise the probe would count nothing.
    expect(patched).toEqual({ js: 1, mjs: 1 });
    files = bundled;
    // 'put': a state write (hand-written codecs only); 'creator': decodes the proposal (generated code).
    const chaincode = `{ Init: () => Shim.success(), async Invoke(stub) { if (stub.getFunctionAndParameters().fcn === 'creator') stub.getCreator(); else await stub.putState('k', Buffer.from('v')); return Shim.success(); } }`;
    // Each line on stdin is answered with the number of fileDesc calls so far.
    const report = `process.stdin.on('data', () => process.stdout.write(String(globalThis.__fileDescCalls ?? 0) + '\\n'));`;
    writeFileSync(join(dir, 'cc.js'), `const { Shim } = require('./dist/index.js');\nShim.start(${chaincode});\n${report}\n`);
    writeFileSync(join(dir, 'cc.mjs'), `import { Shim } from './dist/index.mjs';\nShim.start(${chaincode});\n${report}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['cc.js', 'cc.mjs'])(
    '%s: require + start() to READY boots none, nor a state write; decoding the proposal boots its files',
    async (script) => {
      const peer = await MockPeer.start({ logger: createLogger('peer', { level: 'critical' }) });
      let child: ChildProcessWithoutNullStreams | undefined;
      try {
        const registered = peer.waitForChaincode('probe');
        child = spawn(process.execPath, [join(dir, script), '--peer.address', peer.address, '--chaincode-id-name', 'probe:1'], {
          env: { ...process.env, CHAINCODE_SERVER_ADDRESS: '', CORE_CHAINCODE_LOGGING_SHIM: 'error' },
          stdio: ['pipe', 'pipe', 'inherit'],
        }) as unknown as ChildProcessWithoutNullStreams;
        const lines: string[] = [];
        const waiting: ((line: string) => void)[] = [];
        let buffered = '';
        child.stdout.on('data', (d: Buffer) => {
          buffered += d.toString();
          for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
            const line = buffered.slice(0, i);
            buffered = buffered.slice(i + 1);
            const next = waiting.shift();
            if (next) next(line);
            else lines.push(line);
          }
        });
        const calls = (): Promise<number> => {
          const answer = new Promise<string>((resolve) => waiting.push(resolve));
          child!.stdin.write('\n');
          return answer.then(Number);
        };
        const cc = await registered;
        expect(await calls()).toBe(0);
        // A transaction reading and writing state goes through the hand-written codecs only.
        expect(await cc.invoke(['put'])).toMatchObject({ status: 200 });
        expect(await calls()).toBe(0);
        // Decoding the proposal boots its files (and what they import): some, not all.
        expect(await cc.invoke(['creator'])).toMatchObject({ status: 200 });
        const afterProposal = await calls();
        expect(afterProposal).toBeGreaterThan(0);
        expect(afterProposal).toBeLessThan(files[script.endsWith('.mjs') ? 'mjs' : 'js']);
        expect(lines).toEqual([]);
      } finally {
        if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await peer.stop();
      }
    },
  );
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
