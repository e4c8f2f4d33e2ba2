/**
 * Issue 12, defect 5: metadata semantics as fabric-contract-api 2.5.8 has them. A `@Param` that
 * names no parameter is ignored (appended only when written above `@Transaction`), parameter
 * names are get-params' (`...rest`), and the top-level `info` is the package's name and version,
 * in-process as under `fabric-chaincode-node start`.
 */
import './fixtures/contract-quiet';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as official from 'fabric-contract-api';
import { Contract, Context, Param, Transaction, chaincodeFromContracts } from '../src/contract';
import { contractModuleFrom } from '../src/contract/contract-package';
import { FakeStub, creatorPem } from './fixtures/contract-fake-stub';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OfficialChaincode = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (...a: unknown[]) => {
  metadata: { contracts: Record<string, { transactions: unknown[] }>; info: unknown };
};
const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: official.JSONSerializer } };

class Ours extends Contract {
  constructor() {
    super('typo');
  }
  @Transaction() @Param('nonexistent', 'number', 'a typo') async Get(ctx: Context, id: string): Promise<string> {
    void ctx;
    return id;
  }
  @Param('extra', 'string', 'appended') @Transaction() async Appended(ctx: Context, id: string): Promise<string> {
    void ctx;
    return id;
  }
  @Transaction() @Param('id', 'number', 'retyped') async Retyped(ctx: Context, id: string): Promise<string> {
    void ctx;
    return typeof id;
  }
  @Param('b', 'number') @Param('a', 'string') async OnlyParams(ctx: Context, a: unknown, b: unknown): Promise<string> {
    void ctx;
    return `${String(a)}${String(b)}`;
  }
  @Transaction() async Rest(ctx: Context, ...rest: string[]): Promise<string> {
    void ctx;
    return rest.join();
  }
}

class Theirs extends official.Contract {
  constructor() {
    super('typo');
  }
  @official.Transaction() @official.Param('nonexistent', 'number', 'a typo') async Get(ctx: official.Context, id: string): Promise<string> {
    void ctx;
    return id;
  }
  @official.Param('extra', 'string', 'appended') @official.Transaction() async Appended(
    ctx: official.Context,
    id: string,
  ): Promise<string> {
    void ctx;
    return id;
  }
  @official.Transaction() @official.Param('id', 'number', 'retyped') async Retyped(ctx: official.Context, id: string): Promise<string> {
    void ctx;
    return typeof id;
  }
  @official.Param('b', 'number') @official.Param('a', 'string') async OnlyParams(
    ctx: official.Context,
    a: unknown,
    b: unknown,
  ): Promise<string> {
    void ctx;
    return `${String(a)}${String(b)}`;
  }
  @official.Transaction() async Rest(ctx: official.Context, ...rest: string[]): Promise<string> {
    void ctx;
    return rest.join();
  }
}

let pem: string;
beforeAll(async () => {
  pem = await creatorPem();
});

describe('@Param', () => {
  const ours = chaincodeFromContracts([Ours], { title: 't', version: '1' });
  const theirs = new OfficialChaincode([Theirs], serializers, {}, 't', '1');

  it('gives the transactions fabric-contract-api gives: unknown names ignored below @Transaction, appended above it, application order without it', () => {
    expect(ours.metadata.contracts.typo?.transactions).toEqual(theirs.metadata.contracts.typo?.transactions);
    expect(ours.metadata.contracts.typo?.transactions.find((t) => t.name === 'Get')?.parameters).toEqual([
      { name: 'id', description: '', schema: { type: 'string' } },
    ]);
    expect(ours.metadata.contracts.typo?.transactions.find((t) => t.name === 'Rest')?.parameters?.[0]?.name).toBe('...rest');
  });

  it('a @Param naming no parameter does not make every call fail', async () => {
    const r = await ours.Invoke(new FakeStub(['Get', 'id1'], new Map(), pem).asStub());
    expect({ status: r.status, message: r.message ?? '', payload: Buffer.from(r.payload ?? []).toString() }).toEqual({
      status: 200,
      message: '',
      payload: 'id1',
    });
  });

  it('one written above @Transaction adds a parameter, as in fabric-contract-api', async () => {
    const r = await ours.Invoke(new FakeStub(['Appended', 'id1'], new Map(), pem).asStub());
    expect(r.status).toBe(500);
    expect(r.message).toMatch(/^Expected 2 parameters, but 1 have been supplied/);
  });
});

describe('top-level info', () => {
  const pkg = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { name: string; version: string };

  it('in-process, is the package.json in the working directory, as fabric-chaincode-node start (module path default: cwd)', () => {
    expect(chaincodeFromContracts([Ours]).metadata.info).toEqual({ version: pkg.version, title: pkg.name });
    expect(new OfficialChaincode([Theirs], serializers, {}, pkg.name, pkg.version).metadata.info).toEqual({
      version: pkg.version,
      title: pkg.name,
    });
  });

  it('given explicitly, is what is given', () => {
    expect(chaincodeFromContracts([Ours], { title: 'app', version: '1.0.0' }).metadata.info).toEqual({ version: '1.0.0', title: 'app' });
  });

  it('for a package folder without package.json, is empty (fabric-chaincode-node cannot start there)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'no-package-'));
    try {
      const { contracts, ...options } = contractModuleFrom({ contracts: [Ours] }, dir);
      expect(chaincodeFromContracts(contracts, options).metadata.info).toEqual({ version: '', title: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
