/**
 * The metadata we generate, compared field by field with what fabric-shim 2.5's
 * ChaincodeFromContract generates for the same contract source (fixtures differing only in their
 * import line), and Fabric's metadata schema: same verdicts as fabric-shim's own validator.
 */
import './fixtures/contract-quiet';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as official from './fixtures/contract-official/assets';
import { ours, oursSource, officialSource } from './support/contract-ours';
import { chaincodeFromContracts, metadataProblems, validateMetadata, type ContractMetadataEntry } from '../src/contract';

// fabric-shim's own classes, loaded in-process.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OfficialChaincode = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (...a: unknown[]) => {
  metadata: unknown;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Bootstrap = require('fabric-shim/lib/contract-spi/bootstrap.js') as { loadAndValidateMetadata(path: string): unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSONSerializer } = require('fabric-contract-api') as { JSONSerializer: unknown };

const SERIALIZERS = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };

function officialMetadata(): Record<string, unknown> {
  const cc = new OfficialChaincode([...official.contracts], SERIALIZERS, {}, 'asset-cc', '0.4.2');
  return JSON.parse(JSON.stringify(cc.metadata)) as Record<string, unknown>;
}

function ourMetadata(): Record<string, unknown> {
  const cc = chaincodeFromContracts([...ours.contracts], { title: 'asset-cc', version: '0.4.2' });
  return JSON.parse(JSON.stringify(cc.metadata)) as Record<string, unknown>;
}

const tmp = mkdtempSync(join(tmpdir(), 'contract-metadata-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** fabric-shim's verdict on a metadata document: undefined if valid, else its error message. */
function fabricVerdict(doc: unknown): string | undefined {
  const file = join(tmp, `m${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(doc));
  const origError = console.error;
  console.error = () => undefined; // fabric-shim's ajv logs to console.error on schema warnings
  try {
    Bootstrap.loadAndValidateMetadata(file);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    console.error = origError;
  }
}

describe('fixtures', () => {
  it('the two contract sources differ only in their import line', () => {
    const strip = (source: string) =>
      source
        .split('\n')
        .filter((l) => !l.startsWith('import '))
        .join('\n');
    expect(strip(oursSource)).toBe(strip(officialSource));
    expect(oursSource).not.toBe(officialSource);
  });
});

describe('generated metadata vs fabric-shim', () => {
  const theirs = officialMetadata();
  const mine = ourMetadata();

  it('has the same top-level fields', () => {
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    expect(mine.$schema).toEqual(theirs.$schema);
    expect(mine.info).toEqual(theirs.info);
    expect(mine.info).toEqual({ version: '0.4.2', title: 'asset-cc' });
  });

  it('has the same contracts, in the same order', () => {
    expect(Object.keys(mine.contracts as object)).toEqual(Object.keys(theirs.contracts as object));
    expect(Object.keys(mine.contracts as object)).toEqual(['assets', 'info', 'PlainContract', 'org.hyperledger.fabric']);
  });

  for (const name of ['assets', 'info', 'PlainContract', 'org.hyperledger.fabric']) {
    it(`contract ${name}: name, contractInstance, info and each transaction match`, () => {
      const a = (mine.contracts as Record<string, ContractMetadataEntry>)[name] as ContractMetadataEntry;
      const b = (theirs.contracts as Record<string, ContractMetadataEntry>)[name] as ContractMetadataEntry;
      expect(a.name).toBe(b.name);
      expect(a.contractInstance).toEqual(b.contractInstance);
      expect(a.info).toEqual(b.info);
      expect(a.transactions.map((t) => t.name)).toEqual(b.transactions.map((t) => t.name));
      b.transactions.forEach((tx, i) => expect(a.transactions[i]).toEqual(tx));
    });
  }

  it('has the same components.schemas', () => {
    const a = (mine.components as { schemas: Record<string, unknown> }).schemas;
    const b = (theirs.components as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const key of Object.keys(b)) expect(a[key]).toEqual(b[key]);
  });

  it('is the same document as a whole', () => {
    expect(mine).toEqual(theirs);
  });

  it('spot checks: tags, parameter schemas, returns, default marker, introspection', () => {
    const contracts = mine.contracts as Record<string, ContractMetadataEntry>;
    const assets = contracts.assets as ContractMetadataEntry;
    const create = assets.transactions.find((t) => t.name === 'CreateAsset');
    expect(create).toEqual({
      name: 'CreateAsset',
      tag: ['SUBMIT', 'submitTx'],
      parameters: [
        { name: 'id', description: '', schema: { type: 'string' } },
        { name: 'color', description: '', schema: { type: 'string' } },
        { name: 'size', description: '', schema: { type: 'number' } },
        { name: 'insured', description: '', schema: { type: 'boolean' } },
      ],
    });
    expect(assets.transactions.find((t) => t.name === 'ReadAsset')?.returns).toEqual({ $ref: '#/components/schemas/Asset' });
    expect(assets.transactions.find((t) => t.name === 'ReadAsset')?.tag).toEqual(['EVALUATE']);
    expect(assets.transactions.find((t) => t.name === 'DeleteMany')?.parameters).toEqual([
      { name: 'ids', description: 'keys to delete', schema: { type: 'array', items: { type: 'string' } } },
    ]);
    expect(assets.transactions.some((t) => t.name === 'helperNotATransaction')).toBe(false);
    expect(contracts.info?.contractInstance).toEqual({ name: 'info', default: true });
    expect(contracts.PlainContract?.transactions).toEqual([
      {
        name: 'Join',
        tags: ['SUBMIT', 'submitTx'],
        parameters: [
          { name: 'arg0', description: 'Argument 0', schema: { type: 'string' } },
          { name: 'arg1', description: 'Argument 1', schema: { type: 'string' } },
        ],
      },
      { name: 'Ping', tags: ['SUBMIT', 'submitTx'] },
    ]);
    const schemas = (mine.components as { schemas: Record<string, unknown> }).schemas;
    expect(schemas.PricedAsset).toEqual({
      $id: 'PricedAsset',
      allOf: [{ type: 'object', properties: { Price: { type: 'number' } } }, { $ref: 'Asset' }],
    });
    expect((schemas.Asset as { properties: unknown }).properties).toMatchObject({
      Holder: { $ref: 'Owner' },
      Tags: { type: 'array', items: { type: 'string' } },
    });
  });

  it("conforms to Fabric's contract metadata schema (ours and fabric-shim's validator agree)", () => {
    expect(metadataProblems(mine)).toEqual([]);
    expect(fabricVerdict(mine)).toBeUndefined();
  });
});

describe('metadata schema', () => {
  const schemaDir = join(__dirname, '../node_modules/fabric-contract-api/schema');
  const load = (f: string) => JSON.parse(readFileSync(join(schemaDir, f), 'utf8')) as Record<string, unknown>;

  it("accepts fabric-contract-api's sample example-full.json, as fabric-shim does", () => {
    const doc = load('example-full.json');
    expect(fabricVerdict(doc)).toBeUndefined();
    expect(metadataProblems(doc)).toEqual([]);
  });

  it("rejects fabric-contract-api's sample helloworld.json (its returns is an array), as fabric-shim does", () => {
    const doc = load('helloworld.json');
    expect(fabricVerdict(doc)).toMatch(/returns/);
    expect(metadataProblems(doc)).toEqual([{ instancePath: '/contracts/Greeting/transactions/3/returns', message: 'must be object' }]);
  });

  const broken: [string, unknown][] = [
    ['no info', { contracts: {} }],
    ['no contracts', { info: { title: 't', version: '1' } }],
    ['info without version', { info: { title: 't' }, contracts: {} }],
    ['contract without transactions', { info: { title: 't', version: '1' }, contracts: { c: { name: 'c' } } }],
    ['transaction without name', { info: { title: 't', version: '1' }, contracts: { c: { name: 'c', transactions: [{ tag: ['x'] }] } } }],
    [
      'parameter with unknown field',
      {
        info: { title: 't', version: '1' },
        contracts: { c: { name: 'c', transactions: [{ name: 'x', parameters: [{ name: 'p', schema: {}, bogus: 1 }] }] } },
      },
    ],
    [
      'schema with unknown keyword',
      { info: { title: 't', version: '1' }, contracts: { c: { name: 'c', transactions: [{ name: 'x', returns: { typo: 'string' } }] } } },
    ],
    [
      'schema with a bad type name',
      { info: { title: 't', version: '1' }, contracts: { c: { name: 'c', transactions: [{ name: 'x', returns: { type: 'text' } }] } } },
    ],
    [
      'negative maxLength',
      {
        info: { title: 't', version: '1' },
        contracts: { c: { name: 'c', transactions: [{ name: 'x', returns: { type: 'string', maxLength: -1 } }] } },
      },
    ],
    ['component without $id', { info: { title: 't', version: '1' }, contracts: {}, components: { schemas: { A: { type: 'object' } } } }],
    ['license without name', { info: { title: 't', version: '1', license: { url: 'http://x' } }, contracts: {} }],
  ];
  it.each(broken)('rejects a document with %s, as fabric-shim does', (_what, doc) => {
    expect(fabricVerdict(doc)).toMatch(/does not match the schema/);
    expect(metadataProblems(doc).length).toBeGreaterThan(0);
    expect(() => validateMetadata(doc)).toThrow(/^Contract metadata does not match the schema: /);
  });
});

describe('user-supplied metadata', () => {
  const supplied = {
    info: { title: 'from file', version: '9.9.9' },
    contracts: {
      assets: {
        name: 'assets',
        transactions: [
          {
            name: 'Scale',
            parameters: [
              { name: 'value', schema: { type: 'number' } },
              { name: 'factor', schema: { type: 'number' } },
            ],
          },
        ],
      },
      info: { name: 'info', transactions: [] },
      PlainContract: { name: 'PlainContract', transactions: [] },
      'org.hyperledger.fabric': { name: 'org.hyperledger.fabric', transactions: [{ name: 'GetMetadata' }] },
    },
  };

  it('replaces the generated contracts and info, and components are still generated (as fabric-shim)', () => {
    const theirs = JSON.parse(
      JSON.stringify(new OfficialChaincode([...official.contracts], SERIALIZERS, JSON.parse(JSON.stringify(supplied)), 't', 'v').metadata),
    ) as unknown;
    const mine = JSON.parse(
      JSON.stringify(chaincodeFromContracts([...ours.contracts], { metadata: supplied, title: 't', version: 'v' }).metadata),
    ) as Record<string, unknown>;
    expect(mine).toEqual(theirs);
    expect(mine.info).toEqual(supplied.info);
  });

  it('must name every contract, including org.hyperledger.fabric', () => {
    const partial = { ...supplied, contracts: { assets: supplied.contracts.assets } };
    expect(() => chaincodeFromContracts([...ours.contracts], { metadata: partial })).toThrow(
      JSON.stringify([
        'Missing contract info in metadata',
        'Missing contract PlainContract in metadata',
        'Missing contract org.hyperledger.fabric in metadata',
      ]),
    );
  });
});
