/**
 * The differential harness: every corpus chaincode runs twice, as a separate process each, once on
 * the OFFICIAL packages (fabric-shim 2.5.8 / fabric-contract-api 2.5.8, started as
 * `fabric-chaincode-node start` starts them) and once on OURS (the same source with only its import
 * specifiers rewritten). Each side has its own MockPeer, and both peers see the same proposals:
 * same nonce (so the same txId), same timestamp, same channel, same chaincode names, the same
 * creator certificates (one identity factory signs for both). So everything a chaincode can
 * observe is identical, except the proposal signature (ECDSA is randomised; no corpus chaincode
 * reads it).
 *
 * Per step it compares outcome, status, message, payload bytes and the chaincode event; after a
 * script, the chaincode's committed namespace (values, key metadata, private collections, history
 * with txIds, timestamps and delete flags, key versions) and whether each process is still alive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from 'typescript';
import { MockPeer } from '../../src/testing/mock-peer';
import type { InvokeOptions, MockChaincode } from '../../src/testing/mock-chaincode';
import type { TestIdentity } from '../../src/testing/identities';
import type { WorldState } from '../../src/testing/world-state';
import { stopChildren } from '../support/children';
import { migrate } from '../support/migrate';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHAINCODES = path.join(__dirname, 'chaincodes');
export type Side = 'official' | 'ours';
export const SIDES: readonly Side[] = ['official', 'ours'];

/** The creators a script can pick; the same certificates on both sides. */
export const IDENTITIES = {
  alice: { mspId: 'Org1MSP', commonName: 'alice', attributes: { role: 'minter', 'abac.creator': 'true' } },
  bob: { mspId: 'Org2MSP', commonName: 'bob', attributes: { role: 'auditor' } },
  carol: { mspId: 'Org1MSP', commonName: 'carol', attributes: {} },
} as const;
export type IdentityName = keyof typeof IDENTITIES;

/** One proposal of a script. */
export interface Step {
  /** Unique within the script: names the step in differences and seeds its nonce (its txId). */
  id: string;
  args: string[];
  /** Send INIT (as for `--init-required`) instead of TRANSACTION. */
  init?: boolean;
  /** The creator; default alice (Org1MSP). */
  as?: IdentityName;
  transient?: Record<string, string>;
  /**
   * How long the peer waits for an answer (default 4 s). A plain-shim Invoke that throws is
   * never answered by fabric-shim: such steps wait only briefly.
   */
  timeoutMs?: number;
  /**
   * Where ours is deliberately stricter than the official (whose result there is racy or absent),
   * what ours must do: returns a problem, or undefined. The step's differences are then matched
   * against intended-differences.ts as usual.
   */
  oursMust?: (ours: Observation, ledger: WorldState) => string | undefined;
}

/** One corpus chaincode. */
export interface CorpusEntry {
  /** Folder name under chaincodes/ and chaincode name on the peers. */
  name: string;
  kind: 'shim' | 'contract';
  lang: 'js' | 'ts';
  /** What it is modelled on and what it covers (one line, for the report). */
  covers: string;
  /** Private data collections the chaincode definition declares. */
  collections?: string[];
  script: Step[];
}

/** What a client sees of one transaction on one side. */
export interface Observation {
  outcome: 'COMPLETED' | 'ERROR' | 'TIMEOUT' | 'FAILED';
  status: number;
  message: string;
  payload: Buffer;
  events: { name: string; payload: Buffer }[];
  txId: string;
}

/** One difference between the sides. */
export interface Difference {
  chaincode: string;
  /** Step id, `(ledger)`, `(process)` or `(ours-must)`. */
  step: string;
  /** outcome, status, message, payload, event, txId; ledger:<collection>/<key>[:history|:metadata]; exit; a step's oursMust. */
  field: string;
  official: string;
  ours: string;
}

/** Printable form of bytes: text when they are UTF-8, else hex. */
export function show(bytes: Uint8Array, max = 400): string {
  const buf = Buffer.from(bytes);
  const text = buf.toString('utf8');
  const out = Buffer.from(text, 'utf8').equals(buf) ? text : `hex:${buf.toString('hex')}`;
  return out.length > max ? `${out.slice(0, max)}...(${out.length} chars)` : out;
}

// ---------------------------------------------------------------------------------------------
// Building: copy each chaincode per side, rewrite imports for ours, compile TypeScript.

/** TypeScript options of a typical contract project (decorator metadata is what the contract API reads). */
export const CHAINCODE_COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2020,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  strict: true,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** Copies chaincodes/<name> to <out>/<side>/<name>, migrated for ours, TypeScript compiled; returns the folder. */
export function build(entry: CorpusEntry, side: Side, out: string): string {
  const dir = path.join(out, side, entry.name);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(CHAINCODES, entry.name), dir, { recursive: true });
  for (const file of files(dir)) {
    if (!/\.(js|ts)$/.test(file) || file.endsWith('.d.ts')) continue;
    let source = readFileSync(file, 'utf8');
    if (side === 'ours') source = migrate(source);
    if (file.endsWith('.ts')) {
      const js = ts.transpileModule(source, { compilerOptions: CHAINCODE_COMPILER_OPTIONS, fileName: file }).outputText;
      writeFileSync(file.replace(/\.ts$/, '.js'), js);
    } else {
      writeFileSync(file, source);
    }
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Running.

interface Proc {
  child: ChildProcess;
  output: string;
  exit?: string;
}

/** Both peers, every chaincode process, the shared identities. */
export class Harness {
  readonly peers: Record<Side, MockPeer>;
  readonly procs: Record<Side, Map<string, Proc>> = { official: new Map(), ours: new Map() };
  readonly ccs: Record<Side, Map<string, MockChaincode>> = { official: new Map(), ours: new Map() };
  private identities = new Map<IdentityName, TestIdentity>();

  private constructor(peers: Record<Side, MockPeer>) {
    this.peers = peers;
  }

  /** Builds and starts every chaincode on both sides, all in parallel; resolves when all registered. */
  static async start(corpus: readonly CorpusEntry[], out: string): Promise<Harness> {
    const [official, ours] = await Promise.all([MockPeer.start({ txTimeoutMs: 4000 }), MockPeer.start({ txTimeoutMs: 4000 })]);
    const h = new Harness({ official: official!, ours: ours! });
    for (const [name, id] of Object.entries(IDENTITIES)) {
      h.identities.set(
        name as IdentityName,
        await h.peers.official.identities.identity(id.mspId, { commonName: id.commonName, attributes: id.attributes }),
      );
    }
    const waits: Promise<void>[] = [];
    for (const side of SIDES) {
      for (const entry of corpus) {
        const dir = build(entry, side, out);
        const registered = h.peers[side].waitForChaincode(entry.name, { timeoutMs: 45_000, collections: entry.collections ?? [] });
        h.launch(side, entry, dir);
        waits.push(
          registered.then(
            (cc) => {
              h.ccs[side].set(entry.name, cc);
            },
            (e: unknown) => {
              const proc = h.procs[side].get(entry.name);
              throw new Error(`${side} ${entry.name} did not register: ${String(e)}\n${proc?.output.slice(-2000) ?? ''}`);
            },
          ),
        );
      }
    }
    try {
      await Promise.all(waits);
    } catch (e) {
      // Leave nothing running: jest would wait for the peers and processes forever.
      await h.stop();
      throw e;
    }
    return h;
  }

  private launch(side: Side, entry: CorpusEntry, dir: string): void {
    const peer = ['--peer.address', this.peers[side].address, '--chaincode-id-name', `${entry.name}:1.0`];
    // tsx's full loader (ESM + CJS): our CLI loads its subcommands with import().
    const tsx = ['--import', pathToFileURL(require.resolve('tsx')).href];
    let argv: string[];
    if (side === 'official') {
      argv =
        entry.kind === 'shim'
          ? [path.join(dir, 'index.js'), ...peer]
          : // What `fabric-chaincode-node start` runs (its bin is fabric-shim's cli.js).
            [require.resolve('fabric-shim/cli.js'), 'start', '--module-path', dir, ...peer];
    } else {
      argv =
        entry.kind === 'shim'
          ? [...tsx, path.join(dir, 'index.js'), ...peer]
          : // What `fabric-shim-ts start` runs, from source.
            [...tsx, path.join(ROOT, 'src', 'cli.ts'), 'start', '--module-path', dir, ...peer];
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CORE_PEER_LOCALMSPID: 'Org1MSP',
      CORE_CHAINCODE_LOGGING_LEVEL: 'warning',
      CORE_CHAINCODE_LOGGING_SHIM: 'warning',
    };
    // The official side resolves 'fabric-shim' / 'fabric-contract-api' from the project's
    // node_modules; ours must not (a missed rewrite would silently load the official package).
    if (side === 'official') env.NODE_PATH = path.join(ROOT, 'node_modules');
    else delete env.NODE_PATH;
    const child = spawn(process.execPath, argv, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc: Proc = { child, output: '' };
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (d: Buffer) => {
        proc.output = (proc.output + d.toString()).slice(-20_000);
      });
    child.on('exit', (code, signal) => {
      proc.exit = signal ? `signal ${signal}` : `code ${String(code)}`;
    });
    this.procs[side].set(entry.name, proc);
  }

  identity(name: IdentityName = 'alice'): TestIdentity {
    return this.identities.get(name)!;
  }

  /** Runs one step on one side. */
  async step(side: Side, entry: CorpusEntry, step: Step, index: number, base: number): Promise<Observation> {
    const cc = this.ccs[side].get(entry.name)!;
    const opts: InvokeOptions = {
      identity: this.identity(step.as),
      nonce: createHash('sha256').update(`${entry.name}/${step.id}`).digest().subarray(0, 24),
      timestamp: new Date(base + index * 1000 + 321),
      timeoutMs: step.timeoutMs ?? 4000,
      ...(step.transient ? { transient: step.transient } : {}),
    };
    try {
      const res = await (step.init ? cc.init(step.args, opts) : cc.invoke(step.args, opts));
      return {
        outcome: res.outcome,
        status: res.status,
        message: res.message,
        payload: res.payload,
        events: res.events.map((e) => ({ name: e.eventName, payload: e.payload })),
        txId: res.txId,
      };
    } catch (e) {
      const code = (e as { code?: string }).code;
      return {
        outcome: code === 'TIMEOUT' ? 'TIMEOUT' : 'FAILED',
        status: 0,
        message: code === 'TIMEOUT' ? '' : String((e as Error).message ?? e),
        payload: Buffer.alloc(0),
        events: [],
        txId: '',
      };
    }
  }

  /** Runs a script on both sides (step by step, both sides at once) and returns every difference. */
  async run(entry: CorpusEntry, base: number): Promise<{ differences: Difference[]; observations: Record<Side, Observation>[] }> {
    const differences: Difference[] = [];
    const observations: Record<Side, Observation>[] = [];
    const diff = (step: string, field: string, official: string, ours: string): void => {
      if (official !== ours) differences.push({ chaincode: entry.name, step, field, official, ours });
    };
    for (const [i, step] of entry.script.entries()) {
      const [official, ours] = (await Promise.all(SIDES.map((side) => this.step(side, entry, step, i, base)))) as [
        Observation,
        Observation,
      ];
      observations.push({ official, ours });
      diff(step.id, 'outcome', official.outcome, ours.outcome);
      diff(step.id, 'status', String(official.status), String(ours.status));
      diff(step.id, 'message', official.message, ours.message);
      if (!official.payload.equals(ours.payload)) {
        const detail = jsonPaths(official.payload, ours.payload);
        differences.push({
          chaincode: entry.name,
          step: step.id,
          field: detail ? `payload ${detail}` : 'payload',
          official: show(official.payload),
          ours: show(ours.payload),
        });
      }
      const events = (o: Observation): string => o.events.map((e) => `${e.name}=${show(e.payload)}`).join(', ');
      diff(step.id, 'event', events(official), events(ours));
      if (official.txId && ours.txId) diff(step.id, 'txId', official.txId, ours.txId);
      const problem = step.oursMust?.(ours, this.peers.ours.ledger);
      if (problem !== undefined)
        differences.push({ chaincode: entry.name, step: step.id, field: 'ours-must', official: '(not checked)', ours: problem });
    }
    differences.push(...this.ledgerDifferences(entry.name));
    // A process killed by the last step's aftermath exits a moment after the answer.
    await new Promise((r) => setTimeout(r, 150));
    const exit = (side: Side): string => {
      const proc = this.procs[side].get(entry.name)!;
      if (proc.exit === undefined) return 'running';
      const lines = proc.output.split('\n').filter((l) => /error|reject|unhandled/i.test(l));
      return `exited (${proc.exit}): ${(lines.slice(-3).join(' | ') || proc.output.slice(-300)).slice(0, 500)}`;
    };
    diff('(process)', 'exit', exit('official'), exit('ours'));
    return { differences, observations };
  }

  /** The committed namespace of a chaincode on each side, compared key by key. */
  ledgerDifferences(namespace: string): Difference[] {
    const snaps = SIDES.map((side) => snapshot(this.peers[side].ledger, namespace)) as [Map<string, string>, Map<string, string>];
    const keys = [...new Set([...snaps[0].keys(), ...snaps[1].keys()])].sort();
    return keys
      .filter((k) => snaps[0].get(k) !== snaps[1].get(k))
      .map((k) => ({
        chaincode: namespace,
        step: '(ledger)',
        field: `ledger:${k}`,
        official: snaps[0].get(k) ?? '(absent)',
        ours: snaps[1].get(k) ?? '(absent)',
      }));
  }

  async stop(): Promise<void> {
    await Promise.all(SIDES.map((side) => this.peers[side].stop()));
    await stopChildren(...SIDES.flatMap((side) => [...this.procs[side].values()]).map(({ child }) => child));
  }
}

/** A namespace as a flat map: `<collection>/<key>` -> value, `...:metadata` -> key metadata, `public/<key>:history` -> the history. */
export function snapshot(ledger: WorldState, namespace: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const collection of ledger.collections(namespace)) {
    for (const key of ledger.keys(namespace, { collection })) {
      const entry = ledger.entry(namespace, key, { collection })!;
      const name = `${collection || 'public'}/${JSON.stringify(key)}`;
      // Versions (block numbers) are global to a peer and not observable by chaincode: the
      // history below already says which transaction wrote what.
      out.set(name, show(entry.value));
      const meta = [...entry.metadata.entries()].map(([k, v]) => `${k}=${Buffer.from(v).toString('hex')}`).join(';');
      if (meta) out.set(`${name}:metadata`, meta);
    }
  }
  for (const key of ledger.historyKeys(namespace)) {
    out.set(
      `public/${JSON.stringify(key)}:history`,
      JSON.stringify(
        ledger.getHistory(namespace, key).map((h) => [h.txId.slice(0, 12), h.timestamp.toISOString(), h.isDelete, show(h.value, 80)]),
      ),
    );
  }
  return out;
}

/** For two JSON payloads, the paths whose values differ (a short summary for the report). */
function jsonPaths(a: Buffer, b: Buffer): string | undefined {
  let x: unknown;
  let y: unknown;
  try {
    x = JSON.parse(a.toString('utf8'));
    y = JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
  const paths: string[] = [];
  const walk = (p: string, u: unknown, v: unknown): void => {
    if (paths.length >= 8) return;
    if (typeof u === 'object' && u !== null && typeof v === 'object' && v !== null && Array.isArray(u) === Array.isArray(v)) {
      const ku = Object.keys(u);
      const kv = Object.keys(v);
      if (ku.join() !== kv.join() && [...ku].sort().join() === [...kv].sort().join()) paths.push(`${p || '$'}(key order)`);
      for (const k of new Set([...ku, ...kv])) walk(`${p}.${k}`, (u as Record<string, unknown>)[k], (v as Record<string, unknown>)[k]);
    } else if (JSON.stringify(u) !== JSON.stringify(v)) {
      paths.push(p || '$');
    }
  };
  walk('', x, y);
  return paths.length ? `at ${paths.join(' ')}` : 'formatting';
}
