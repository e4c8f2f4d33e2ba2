/**
 * Issue 12, defect 4: code that type-checks against fabric-shim 2.5.8 + fabric-contract-api 2.5.8
 * type-checks against fabric-shim-ts with no new diagnostic, once its imports are rewritten.
 *
 * The probes (test/compat/types/*.ts, and the TypeScript chaincodes of the differential corpus in
 * test/compat/chaincodes/) are written against the official typings in the styles of public chaincode. Each is compiled with the TypeScript compiler API under every module setting
 * of the rule ({commonjs (node10), node16, nodenext, bundler} x skipLibCheck on/off) in a consumer
 * project that installs the BUILT package: once as written (must be clean: proves the probe is
 * valid official code), once migrated (must add nothing but the intended differences below).
 *
 * The package is used as published (package.json exports/typesVersions + dist/*.d.ts), so this
 * test needs a build: CI runs `npm run build` first; locally a stale dist/ is rebuilt here once.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  PROBES,
  REPO,
  SETTINGS,
  createConsumer,
  diagnose,
  externalImports,
  formatFinding,
  isNodeBuiltin,
  missingFromOurs,
  sharedHost,
  writeProbes,
  type Finding,
} from './support/type-compat';
import { INTENDED_DIFFERENCES } from './compat/intended-differences';
import { ensureBuiltDist } from './support/dist';

/**
 * Where our typings reject official-valid code on purpose. A probe line carrying
 * `// intended: <id>` may get a new diagnostic under ours, and must get one (so the marker cannot
 * outlive the difference); the id must be an entry of the one table of intended differences
 * (test/compat/intended-differences.ts, shown in the README). No probe line carries one today.
 */
const INTENDED_IDS = new Set(INTENDED_DIFFERENCES.map((d) => d.id));

const probes = readdirSync(PROBES)
  .filter((f) => /\.(ts|mts|cts)$/.test(f))
  .sort();

let tmp: string;
let roots: { official: string[]; ours: string[] };
const host = sharedHost();

beforeAll(() => {
  ensureBuiltDist();
  tmp = mkdtempSync(path.join(tmpdir(), 'type-compat-'));
  createConsumer(tmp);
  roots = writeProbes(tmp, probes);
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** `probe:line` -> intended id, from the `// intended: <id>` markers of the probes. */
function intendedLines(): Map<string, string> {
  const marks = new Map<string, string>();
  for (const probe of probes) {
    readFileSync(path.join(PROBES, probe), 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = /\/\/ intended: ([\w-]+)/.exec(text);
        if (m) marks.set(`${probe}:${i + 1}`, m[1]!);
      });
  }
  return marks;
}

describe.each(SETTINGS)('$name', (setting) => {
  let official: Finding[];

  test('the probes are valid code for the official typings', () => {
    official = diagnose(roots.official, setting.options, host, tmp);
    expect(official.map(formatFinding)).toEqual([]);
  });

  test('migrated to fabric-shim-ts they add no diagnostic', () => {
    const marks = intendedLines();
    const ours = diagnose(roots.ours, setting.options, host, tmp);
    const seen = new Set((official ?? []).map((f) => `${f.file}:${f.line}:${f.code}`));
    const fresh = ours.filter((f) => !seen.has(`${f.file}:${f.line}:${f.code}`));
    const unexpected = fresh.filter((f) => !marks.has(`${f.file}:${f.line}`));
    expect(unexpected.map(formatFinding)).toEqual([]);
    for (const [line, id] of marks) {
      expect(INTENDED_IDS.has(id)).toBe(true);
      expect({ line, id, reported: fresh.some((f) => `${f.file}:${f.line}` === line) }).toEqual({ line, id, reported: true });
    }
  });
});

/**
 * No third-party type reaches a consumer: the published declarations import only each other and
 * Node's built-ins. The testing entry's API hands out protobuf messages (the mock peer's wire
 * records), so it may also name @bufbuild/protobuf, a dependency whose types need no DOM lib.
 */
describe('published declarations', () => {
  const ALLOWED: Readonly<Record<string, readonly string[]>> = {
    'dist/index.d.ts': [],
    'dist/index.d.mts': [],
    'dist/contract/index.d.ts': [],
    'dist/contract/index.d.mts': [],
    'dist/testing/index.d.ts': ['@bufbuild/protobuf', '@bufbuild/protobuf/wkt'],
    'dist/testing/index.d.mts': ['@bufbuild/protobuf', '@bufbuild/protobuf/wkt'],
  };
  test.each(Object.keys(ALLOWED))('%s imports nothing but its own files and Node built-ins', (entry) => {
    const external = [...externalImports(path.join(REPO, entry))].filter((name) => !isNodeBuiltin(name));
    expect(external.filter((name) => !ALLOWED[entry]!.includes(name)).sort()).toEqual([]);
  });
});

/**
 * The systematic comparison: every name the official declarations export and every member of
 * their classes, interfaces, enums and namespaces (instance and static side) exists in ours.
 * Names only; the probes above check that the types accept what the official ones accept.
 */
describe('export surface', () => {
  test.each([
    ['fabric-shim', 'fabric-shim-ts'],
    ['fabric-contract-api', 'fabric-shim-ts/contract'],
  ])('every export and member of %s is in %s', (official, ours) => {
    expect(missingFromOurs(tmp, official, ours)).toEqual([]);
  });
});
