/**
 * `fabric-shim-ts metadata generate` on a JavaScript contract package written for
 * fabric-contract-api, compared with fabric-shim's own `metadata generate`; and META-INF/metadata.json.
 */
import './fixtures/contract-quiet';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metadataCommand } from '../src/cli/metadata';
import { runCli, stopAll } from './support/cli-process';
import { loadContractModule } from '../src/contract';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Generate = require('fabric-shim/lib/cmds/metadata/lib/generate.js') as { handler(opts: Record<string, string>): Promise<void> };

const PKG = join(__dirname, 'fixtures/contract-js-package');
const tmp = mkdtempSync(join(tmpdir(), 'contract-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('metadata generate', () => {
  it("writes the same metadata file as fabric-shim's metadata generate", async () => {
    // Ours first: fabric-shim pushes its system contract into the module's `contracts` array.
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await metadataCommand(['generate', '--module', PKG, '--file', join(tmp, 'ours')])).toBe(0);
      expect(err.mock.calls.map((c) => String(c[0]))).toEqual([`File containing metadata has been saved to ${join(tmp, 'ours.json')}\n`]);
    } finally {
      err.mockRestore();
    }
    await Generate.handler({ 'module-path': PKG, file: join(tmp, 'theirs') });
    const theirs = readFileSync(join(tmp, 'theirs.json'), 'utf8');
    const ours = readFileSync(join(tmp, 'ours.json'), 'utf8');
    expect(ours).toBe(theirs);
    expect(JSON.parse(ours)).toMatchObject({ info: { title: 'greeter-cc', version: '2.0.1' } });
  });

  it('returns 1 with usage for an unknown subcommand or option', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await metadataCommand(['frobnicate'])).toBe(1);
      expect(await metadataCommand(['generate', '--bogus'])).toBe(1);
      expect(await metadataCommand(['generate', '-p', join(tmp, 'missing')])).toBe(1);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(
        /Usage: fabric-shim-ts metadata generate[\s\S]*unknown option --bogus[\s\S]*metadata generate failed/,
      );
    } finally {
      err.mockRestore();
    }
  });
});

describe('metadata generate loads the package as start does (one module loader)', () => {
  afterAll(stopAll);

  // Top-level await: `require` refuses such a module even where it takes ES modules (require(esm)).
  it('takes an ES module package with top-level await (import(), not require) and prints the metadata of its contracts', async () => {
    const dir = join(tmp, 'esm-package');
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(__dirname, '../node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'greeter-esm', version: '3.0.0', type: 'module', main: 'index.js' }));
    writeFileSync(
      join(dir, 'index.js'),
      [
        "import { Contract } from 'fabric-contract-api';",
        "class Greeter extends Contract { constructor() { super('greeter'); } async Hello(ctx, name) { return name; } }",
        'export const contracts = await Promise.resolve([Greeter]);',
      ].join('\n'),
    );
    const cli = runCli(['metadata', 'generate', '--module', dir]);
    expect(await cli.exit).toBe(0);
    const printed = JSON.parse(cli.stdout()) as { info: unknown; contracts: Record<string, { transactions: { name: string }[] }> };
    expect(printed.info).toMatchObject({ title: 'greeter-esm', version: '3.0.0' });
    expect(printed.contracts.greeter?.transactions.map((t) => t.name)).toEqual(['Hello']);
  });
});

describe('META-INF/metadata.json', () => {
  const withFile = (doc: unknown): string => {
    const dir = join(tmp, `pkg${Math.random().toString(36).slice(2)}`);
    cpSync(PKG, dir, { recursive: true });
    symlinkSync(join(__dirname, '../node_modules'), join(dir, 'node_modules'), 'dir');
    mkdirSync(join(dir, 'META-INF'), { recursive: true });
    writeFileSync(join(dir, 'META-INF', 'metadata.json'), JSON.stringify(doc));
    return dir;
  };

  it('is loaded, validated and used', () => {
    const doc = {
      info: { title: 'custom', version: '9' },
      contracts: {
        greeter: { name: 'greeter', transactions: [{ name: 'Hello' }] },
        'org.hyperledger.fabric': { name: 'org.hyperledger.fabric', transactions: [] },
      },
    };
    const mod = loadContractModule(withFile(doc));
    expect(mod.metadata).toEqual(doc);
    expect(mod.title).toBe('greeter-cc');
  });

  it("is refused when it breaks the schema, with fabric-shim's message", () => {
    expect(() => loadContractModule(withFile({ contracts: {} }))).toThrow(/^Contract metadata does not match the schema: .*info/);
  });
});
