/**
 * Decorators in both modes: legacy (experimentalDecorators + emitDecoratorMetadata) and standard
 * TC39 decorators, compiled here from the same source with the TypeScript compiler; type-name
 * mapping and parameter-name parsing compared with fabric-contract-api's own helpers.
 */
import './fixtures/contract-quiet';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import * as contractApi from '../src/contract';
import { chaincodeFromContracts, type ContractLike } from '../src/contract';
import { schemaOf } from '../src/contract/type-schema';
import { parameterNames } from '../src/contract/param-names';
import { FakeStub, creatorPem } from './fixtures/contract-fake-stub';
import type { ChaincodeResponse } from '../src/index';

const SOURCE = readFileSync(join(__dirname, 'fixtures/contract-tc39/store.ts'), 'utf8');

/** Compiles the fixture in one decorator mode and evaluates it against our contract module. */
function compile(standard: boolean): { contracts: ContractLike[] } {
  const out = ts.transpileModule(SOURCE, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      experimentalDecorators: !standard,
      emitDecoratorMetadata: !standard,
      useDefineForClassFields: true,
    },
  }).outputText;
  if (standard) expect(out).not.toContain('__decorate(');
  else expect(out).toContain('__metadata("design:paramtypes"');
  const mod = { exports: {} as Record<string, unknown> };
  // The compiled module is CommonJS text run through new Function: it needs a require to call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const req = (id: string): unknown => (id === '../../../src/contract' ? contractApi : require(id));
  new Function('require', 'module', 'exports', out)(req, mod, mod.exports);
  return mod.exports as unknown as { contracts: ContractLike[] };
}

const text = (r: ChaincodeResponse) => Buffer.from(r.payload ?? new Uint8Array()).toString();

describe('standard (TC39) and legacy decorators', () => {
  const legacy = chaincodeFromContracts(compile(false).contracts);
  const standard = chaincodeFromContracts(compile(true).contracts);
  let pem: string;
  beforeAll(async () => {
    pem = await creatorPem();
  });

  it('give the same metadata', () => {
    expect(standard.metadata).toEqual(legacy.metadata);
    const store = standard.metadata.contracts.store;
    expect(store?.info).toEqual({ title: 'Store', description: 'items in stock', name: 'Store', version: '' });
    expect(store?.transactions).toEqual(
      [
        {
          name: 'Add',
          tag: ['SUBMIT', 'submitTx'],
          parameters: [
            { name: 'id', description: '', schema: { type: 'string' } },
            { name: 'qty', description: '', schema: { type: 'number' } },
          ],
        },
        {
          name: 'Get',
          tag: ['EVALUATE'],
          parameters: [{ name: 'id', description: 'item id', schema: { type: 'string' } }],
          returns: { $ref: '#/components/schemas/Item' },
        },
        {
          name: 'Total',
          tag: ['EVALUATE'],
          parameters: [{ name: 'items', description: '', schema: { type: 'array', items: { $ref: '#/components/schemas/Item' } } }],
          returns: { type: 'number' },
        },
        {
          name: 'Both',
          tag: ['EVALUATE'],
          parameters: [
            { name: 'a', description: 'first', schema: { type: 'string' } },
            { name: 'b', description: '', schema: { type: 'boolean' } },
          ],
        },
      ].map((t) => expect.objectContaining(t)),
    );
    expect(standard.metadata.components.schemas.Item).toEqual({
      $id: 'Item',
      type: 'object',
      properties: { id: { type: 'string' }, qty: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
    });
  });

  it('run the same transactions with the same results', async () => {
    for (const cc of [legacy, standard]) {
      const state = new Map<string, Buffer>();
      const call = (...args: string[]) => cc.Invoke(new FakeStub(args, state, pem).asStub());
      expect((await call('Add', 'apple', '3')).status).toBe(200);
      expect(JSON.parse(text(await call('Get', 'apple')))).toEqual({ id: 'apple', qty: 3, tags: [] });
      expect(text(await call('Total', '[{"id":"a","qty":2,"tags":[]},{"id":"b","qty":5,"tags":["x"]}]'))).toBe('7');
      expect((await call('Total', '[{"id":"a","qty":"2"}]')).message).toBe('Unable to validate parameter due to ["should be number"]');
      expect(text(await call('Both', 'x', 'true'))).toBe('x/true');
    }
  });

  it('standard decorators without parameter types fail with a message saying how to give them', () => {
    const src = `
      const { Contract, Transaction } = require('c');
      class Untyped extends Contract {
        @Transaction() async Put(ctx, key, value) {}
      }
      module.exports = Untyped;`;
    const out = ts.transpileModule(src, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: false },
    }).outputText;
    const mod = { exports: {} as unknown };
    new Function('require', 'module', 'exports', out)(() => contractApi, mod, mod.exports);
    expect(() => chaincodeFromContracts([mod.exports as ContractLike])).toThrow(
      "Transaction Untyped:Put: the type of parameter 'key' is unknown; give it with @Param('key', type) or @Transaction({ parameters: [...] })",
    );
  });

  it('a standard @Property without a type fails when the class is defined', () => {
    const src = `
      const { Property } = require('c');
      class P { @Property() name = ''; }`;
    const out = ts.transpileModule(src, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: false },
    }).outputText;
    expect(() => new Function('require', out)(() => contractApi)).toThrow(/@Property on name: give the type/);
  });

  it('a wrong number of parameter types is reported', () => {
    class Wrong extends contractApi.Contract {
      @contractApi.Transaction({ parameters: ['string'] })
      async Put(ctx: contractApi.Context, a: string, b: string): Promise<void> {
        void ctx;
        void a;
        void b;
      }
    }
    expect(() => chaincodeFromContracts([Wrong])).toThrow(
      'Transaction Wrong:Put: 1 parameter types given for 2 parameters after the context',
    );
  });

  it('a pure Object parameter type is refused as fabric-contract-api refuses it', () => {
    class Loose extends contractApi.Contract {
      @contractApi.Transaction()
      async Put(ctx: contractApi.Context, value: object): Promise<void> {
        void ctx;
        void value;
      }
    }
    expect(() => chaincodeFromContracts([Loose])).toThrow(
      'Type not properly specified for parameter value, can not process pure Object types',
    );
  });
});

describe('type names to schemas', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateSchema } = require('fabric-contract-api/lib/annotations/utils') as { generateSchema(t: string, full?: boolean): unknown };
  const names = [
    'string',
    'String',
    'number',
    'Number',
    'boolean',
    'Boolean',
    'Asset',
    'Asset[]',
    'string[]',
    'Array<number>',
    'Array<Asset>',
    'Map<string, number>',
    'Map<string,Asset>',
    'Map<string, Asset[]>',
    'Array',
    'Object',
    'Date',
  ];
  it.each(names)('%s maps as in fabric-contract-api (both path styles)', (name) => {
    expect(schemaOf(name)).toEqual(generateSchema(name));
    expect(schemaOf(name, false)).toEqual(generateSchema(name, false));
  });
  it('constructors map by name', () => {
    expect(schemaOf(String)).toEqual({ type: 'string' });
    expect(schemaOf(Number)).toEqual({ type: 'number' });
    class Thing {} // eslint-disable-line @typescript-eslint/no-extraneous-class -- any named constructor
    expect(schemaOf(Thing)).toEqual({ $ref: '#/components/schemas/Thing' });
    expect(contractApi.arrayOf(Thing)).toBe('Thing[]');
  });
});

describe('parameter names', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const getParams = require('get-params') as (fn: unknown) => string[];
  const fns: ((...a: never[]) => unknown)[] = [
    function plain(ctx: unknown, a: unknown, b: unknown) {
      void ctx;
      void a;
      void b;
    },
    async function asyncFn(ctx: unknown, id: string) {
      void ctx;
      void id;
    },
    function (
      /* comment, here */ ctx: unknown, // trailing
      second: unknown,
    ) {
      void ctx;
      void second;
    } as never,
    ((ctx: unknown, value: unknown) => [ctx, value]) as never,
  ];
  it.each(fns.map((f, i) => [i, f] as const))('function #%i is read as get-params reads it', (_i, fn) => {
    expect(parameterNames(fn)).toEqual(getParams(fn));
  });
  it('handles defaults with calls and objects, rest and destructuring', () => {
    const fn = function (ctx: unknown, a = Math.max(1, 2), b = { x: [1, 2] }, { c }: { c: number } = { c: 1 }, ...rest: unknown[]) {
      void ctx;
      void a;
      void b;
      void c;
      void rest;
    };
    expect(parameterNames(fn as never)).toEqual(['ctx', 'a', 'b', 'arg3', 'rest']);
    expect(parameterNames(((single: unknown) => single) as never)).toEqual(['single']);
    // get-params splits defaults into bogus names here ('=', '1', ...); fabric would then misname parameters.
    expect(
      parameterNames(
        {
          m(ctx: unknown, x = 1, y = 'a,b') {
            void ctx;
            return x + y;
          },
        }.m as never,
      ),
    ).toEqual(['ctx', 'x', 'y']);
  });
});
