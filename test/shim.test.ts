import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ChaincodeMessage_Type as Type } from '../src/gen/peer/chaincode_shim_pb';
import { ResponseSchema } from '../src/gen/peer/proposal_response_pb';
import { connect, start, Shim } from '../src/shim';
import { chaincodeFromExports } from '../src/cli/module-loader';
import { main } from '../src/cli';
import { startCommand } from '../src/cli/start';
import { ShimError } from '../src/errors';
import { shimLogger } from '../src/logger';
import { success } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { Contract } from '../src/contract/contract';
import * as index from '../src/index';
import { ScriptedPeer } from './support/scripted-peer';

const quiet = shimLogger('shim-test');
quiet.level = 'critical';

const cc = {
  Init: async () => success(),
  Invoke: async (stub: ChaincodeStub) => success(Buffer.from(`hello ${stub.getArgs().join(' ')} from ${stub.getMspID()}`)),
};

const payloadOf = (m: { type: Type; payload: Uint8Array }) => {
  expect(Type[m.type]).toBe('COMPLETED');
  return Buffer.from(fromBinary(ResponseSchema, m.payload).payload).toString();
};

describe('connect / start against a scripted peer', () => {
  let peer: ScriptedPeer;
  beforeEach(async () => {
    peer = await ScriptedPeer.start();
  });
  afterEach(async () => {
    await peer.stop();
  });

  test('connect: registers, serves, close() resolves closed', async () => {
    const conn = connect(cc, { peerAddress: peer.address, chaincodeId: 'cc:1', mspId: 'Org9MSP', logger: quiet });
    const pc = await peer.accept();
    expect(await pc.handshake()).toBe('cc:1');
    await conn.ready;
    pc.transaction('t1', ['x']);
    expect(payloadOf(await pc.next())).toBe('hello x from Org9MSP');
    conn.close();
    await expect(conn.closed).resolves.toBeUndefined();
  });

  test('start: env + flags; rejects with STREAM_CLOSED when the peer ends the stream', async () => {
    const started = start(cc, {
      argv: ['--chaincode-id-name', 'flagcc:2'],
      env: { CORE_PEER_ADDRESS: peer.address, CORE_CHAINCODE_ID_NAME: 'envcc', CORE_PEER_LOCALMSPID: 'Org1MSP' },
      logger: quiet,
    });
    started.catch(() => undefined);
    const pc = await peer.accept();
    expect(await pc.handshake()).toBe('flagcc:2');
    pc.transaction('t1', ['y']);
    expect(payloadOf(await pc.next())).toBe('hello y from Org1MSP');
    pc.stream.end();
    await expect(started).rejects.toMatchObject({ code: 'STREAM_CLOSED', message: expect.stringContaining('ended the stream') });
  });

  test('start: a failing stream rejects with the gRPC failure', async () => {
    const started = start(cc, { argv: [], env: { CORE_PEER_ADDRESS: peer.address, CORE_CHAINCODE_ID_NAME: 'cc' }, logger: quiet });
    started.catch(() => undefined);
    const pc = await peer.accept();
    await pc.handshake();
    pc.stream.destroy(new Error('peer restarting'));
    await expect(started).rejects.toMatchObject({ code: 'STREAM_CLOSED', message: expect.stringContaining('peer restarting') });
  });

  test('start: bad configuration or chaincode rejects before dialling', async () => {
    await expect(start(cc, { argv: [], env: {}, logger: quiet })).rejects.toMatchObject({ code: 'CONFIG' });
    await expect(start({ Init: () => success() } as never, { argv: [], env: {} })).rejects.toThrow('"Invoke()"');
    await expect(start(null as never)).rejects.toThrow('Missing required argument: chaincode');
  });

  describe('fabric-shim-ts start (CLI)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'fst-cli-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('loads package.json main of --module-path and runs it; the stream end rejects (exit code 1)', async () => {
      const pkg = join(dir, 'pkg');
      mkdirSync(pkg);
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'p', main: 'lib/cc.js' }));
      mkdirSync(join(pkg, 'lib'));
      writeFileSync(
        join(pkg, 'lib', 'cc.js'),
        `
        class Cc {
          async Init() { return { status: 200 }; }
          async Invoke(stub) { return { status: 200, payload: Buffer.from('cli ' + stub.getArgs()[0]) }; }
        }
        module.exports = Cc;`,
      );
      const run = startCommand(['--module-path', pkg, '--peer.address', peer.address, '--chaincode-id-name', 'clicc'], {});
      run.catch(() => undefined);
      const pc = await peer.accept();
      expect(await pc.handshake()).toBe('clicc');
      pc.transaction('t', ['works']);
      expect(payloadOf(await pc.next())).toBe('cli works');
      pc.stream.end();
      await expect(run).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
    });

    test('missing module is a CONFIG error; unknown command exits 1', async () => {
      await expect(startCommand(['--module', join(dir, 'nope.js')], {}, dir)).rejects.toMatchObject({ code: 'CONFIG' });
      const err = process.stderr.write;
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        expect(await main(['frobnicate'])).toBe(1);
      } finally {
        process.stderr.write = err;
      }
    });
  });
});

describe('chaincodeFromExports', () => {
  test('instance under chaincode / default / module itself, or a class', async () => {
    expect(await chaincodeFromExports({ chaincode: cc }, 'm')).toBe(cc);
    expect(await chaincodeFromExports({ default: cc }, 'm')).toBe(cc);
    expect(await chaincodeFromExports({ default: { chaincode: cc } }, 'm')).toBe(cc);
    expect(await chaincodeFromExports(cc, 'm')).toBe(cc);
    class K {
      Init() {
        return success();
      }
      Invoke() {
        return success();
      }
    }
    expect(await chaincodeFromExports({ default: K }, 'm')).toBeInstanceOf(K);
  });
  test('contracts are wrapped by the contract API', async () => {
    class Greeter extends Contract {
      async hello(): Promise<string> {
        return 'hi';
      }
    }
    const wrapped = await chaincodeFromExports({ contracts: [Greeter] }, 'm');
    expect(typeof wrapped.Init).toBe('function');
    expect(typeof wrapped.Invoke).toBe('function');
  });
  test('a module with neither is a CONFIG error', async () => {
    await expect(chaincodeFromExports({ something: 1 }, 'mod.js')).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringContaining('mod.js'),
    });
  });
});

describe('public surface mirrors fabric-shim', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const official = require('fabric-shim') as Record<string, unknown>;
  // fabric-shim's Shim is a class used only for its statics; ours is a plain object with them.
  const names = [...Object.keys(official).filter((n) => n !== 'Shim'), 'start', 'success', 'error', 'newLogger', 'server'];
  test("Shim carries the statics of fabric-shim's Shim class", () => {
    const statics = Object.getOwnPropertyNames(official.Shim).filter(
      (n) => n !== 'Shim' && typeof (official.Shim as Record<string, unknown>)[n] === 'function',
    );
    expect(statics).toEqual(
      expect.arrayContaining(['error', 'newLogger', 'server', 'start', 'success', 'ClientIdentity', 'ChaincodeStub']),
    );
    for (const n of statics) expect([n, typeof (index.Shim as Record<string, unknown>)[n]]).toEqual([n, 'function']);
  });
  test.each(names)('%s exists with the same kind on the module and on Shim', (name) => {
    const kind = typeof official[name];
    expect(typeof (index as Record<string, unknown>)[name]).toBe(kind);
    expect(typeof (Shim as Record<string, unknown>)[name]).toBe(kind);
  });
  test('success/error build fabric-shim shaped responses; newLogger defaults its name', () => {
    expect(index.Shim.success(Buffer.from('p'))).toMatchObject({ status: 200 });
    expect(index.error('bad')).toMatchObject({ status: 500, message: 'bad' });
    expect(index.newLogger().name).toBe('shim');
    expect(index.newLogger('mine').name).toBe('mine');
    expect(new index.ShimError('CONFIG', 'x')).toBeInstanceOf(Error);
  });
});

test('connect() refuses a non-chaincode synchronously, like fabric-shim', () => {
  expect(() => connect({} as never, { peerAddress: '127.0.0.1:1', chaincodeId: 'x' })).toThrow(TypeError);
  expect(ShimError).toBeDefined();
});
