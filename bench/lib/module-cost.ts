/**
 * Memory cost of each part of fabric-shim-ts, loaded in turn in one fresh `node` (issue 16):
 * VmRSS (/proc/self/status) and V8 heapUsed (`process.memoryUsage()`, after a full GC) before and
 * after each step, so each row says what that step adds on top of the rows above it. The median
 * of `runs` fresh processes. `npx tsx bench/lib/module-cost.ts [runs]` prints the table.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './build';
import { renderTable } from './table';
import { median } from './stats';

/** One step of the probe: what it loads and what the row is called. */
interface Step {
  label: string;
  /** Code run in the probe (CommonJS, `dist` is the absolute dist/ path, `req` resolves from ROOT). */
  code: string;
}

/** What one step added, in KiB / modules. */
export interface ModuleCost {
  label: string;
  rssKiB: number;
  heapKiB: number;
  modules: number;
}

/**
 * The steps, in load order: a chaincode that only uses the stub stops after "start()"; each later
 * row is what touching that feature costs on top.
 */
const STEPS: Step[] = [
  { label: 'fabric-shim-ts (require dist/index.js)', code: `globalThis.shim = require(dist + '/index.js');` },
  {
    label: 'start(): grpc-js loaded, channel dialled',
    // connect() is start() minus the config reading: a TCP listener that never answers HTTP/2 lets
    // grpc-js load, build the channel and connect without a peer in this process.
    code: `await new Promise((resolve) => {
      const srv = require('node:net').createServer(() => {}).listen(0, '127.0.0.1', () => {
        globalThis.conn = shim.connect({ Init: () => shim.success(), Invoke: () => shim.success() },
          { peerAddress: '127.0.0.1:' + srv.address().port, chaincodeId: 'probe' });
        srv.once('connection', () => setTimeout(resolve, 100));
      });
    });`,
  },
  { label: 'fabric-shim-ts/contract', code: `globalThis.contract = require(dist + '/contract/index.js');` },
  {
    label: 'ClientIdentity (@peculiar/x509)',
    code: `globalThis.x509 = req('@peculiar/x509'); new x509.X509Certificate(PEM);`,
  },
  {
    label: 'JSON-schema validation (ajv, compile + validate)',
    code: `const Ajv = req('ajv'); const ajv = new (Ajv.default || Ajv)({ strict: false });
      globalThis.validate = ajv.compile({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] });
      validate({ a: 'x', b: 1 });`,
  },
  { label: 'telemetry (@opentelemetry/api)', code: `globalThis.otel = req('@opentelemetry/api'); otel.trace.getTracer('probe');` },
  { label: 'fabric-shim-ts/testing', code: `globalThis.testing = require(dist + '/testing/index.js');` },
];

// A self-signed certificate, only parsed (the X.509 step); generated once with openssl.
const PEM = `-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIUav17Jw8UHMZnJ3Dcu7ZTgjh866owCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKcHJvYmUtY2VydDAeFw0yNjExMjkwNDI1MDZaFw0zNjExMjYw
NDI1MDZaMBUxEzARBgNVBAMMCnByb2JlLWNlcnQwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARqdYJVX/7U21obBL0Ixb9Q2EA4tkyL3DsHGnrqKPS5v1CQeLeyezDx
r9mYwyVHL4TL660gNPNLVGIABA5DF/IVo1MwUTAdBgNVHQ4EFgQUKoDRIa/lrOnP
DseackM/1W4AzmcwHwYDVR0jBBgwFoAUKoDRIa/lrOnPDseackM/1W4AzmcwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAqFi1MyHsfigJGAE7dGhq
G1NyZ98alGpjTZk1z+82xrgCIBjTjeRyT/fvT0Hc5GPPZ02uSWLjae3lU6mIhHoe
Day/
-----END CERTIFICATE-----`;

const PROBE = `
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const dist = process.env.PROBE_DIST;
const req = createRequire(process.env.PROBE_ROOT + '/package.json');
const PEM = process.env.PROBE_PEM;
const steps = JSON.parse(process.env.PROBE_STEPS);
const settle = () => new Promise((r) => setTimeout(r, 50));
const read = async () => {
  gc(); await settle(); gc();
  const rss = Number(/^VmRSS:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
  return { rss, heap: process.memoryUsage().heapUsed / 1024, modules: Object.keys(require.cache).length };
};
(async () => {
  const out = [await read()];
  for (const code of steps) {
    await new Function('dist', 'req', 'PEM', 'require', 'return (async () => {' + code + '})()')(dist, req, PEM, require);
    out.push(await read());
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`;

interface Reading {
  rss: number;
  heap: number;
  modules: number;
}

/** Runs the probe `runs` times; the median of each step's delta, plus the bare starting point. */
export function moduleCosts(runs = 3): { bare: ModuleCost; steps: ModuleCost[] } {
  const all: Reading[][] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--expose-gc', '-e', PROBE], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        PROBE_DIST: join(ROOT, 'dist'),
        PROBE_ROOT: ROOT,
        PROBE_PEM: PEM,
        PROBE_STEPS: JSON.stringify(STEPS.map((s) => s.code)),
      },
    });
    all.push(JSON.parse(out) as Reading[]);
  }
  const med = (f: (r: Reading[]) => number): number => median(all.map(f));
  const bare: ModuleCost = {
    label: 'bare node --expose-gc (no require)',
    rssKiB: med((r) => r[0]!.rss),
    heapKiB: med((r) => r[0]!.heap),
    modules: med((r) => r[0]!.modules),
  };
  const steps = STEPS.map((s, i) => ({
    label: s.label,
    rssKiB: med((r) => r[i + 1]!.rss - r[i]!.rss),
    heapKiB: med((r) => r[i + 1]!.heap - r[i]!.heap),
    modules: med((r) => r[i + 1]!.modules - r[i]!.modules),
  }));
  return { bare, steps };
}

/** The table: each row what the step adds. */
export function renderModuleCosts(costs: { bare: ModuleCost; steps: ModuleCost[] }): string {
  const mib = (kib: number, sign = true): string => `${sign && kib >= 0 ? '+' : ''}${(kib / 1024).toFixed(1)}`;
  const rows = [
    [costs.bare.label, mib(costs.bare.rssKiB, false), mib(costs.bare.heapKiB, false), String(costs.bare.modules)],
    ...costs.steps.map((s) => [`+ ${s.label}`, mib(s.rssKiB), mib(s.heapKiB), `+${s.modules}`]),
  ];
  return renderTable(['step (each on top of the rows above)', 'VmRSS MiB', 'heapUsed MiB', 'modules'], rows);
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 3);
  console.log(`memory cost per module, median of ${runs} fresh processes (node ${process.version})`);
  console.log(renderModuleCosts(moduleCosts(runs)));
}
