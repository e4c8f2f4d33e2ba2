/**
 * Argument and result marshalling: every parameter type with good and bad input, the errors
 * naming parameter and transaction, pluggable serializers, and where we are stricter than
 * fabric-shim on purpose.
 */
import './fixtures/contract-quiet';
import {
  Contract,
  Context,
  JSONSerializer,
  Object as DataType,
  Param,
  Property,
  Returns,
  Transaction,
  chaincodeFromContracts,
  type Deserialized,
  type FullSchema,
  type JsonSchema,
} from '../src/contract';
import { FakeStub, creatorPem } from './fixtures/contract-fake-stub';
import type { ChaincodeResponse } from '../src/index';

let pem: string;
beforeAll(async () => {
  pem = await creatorPem();
});

@DataType()
class Point {
  @Property() x: number = 0;
  @Property() y: number = 0;
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

@DataType()
class Shape {
  @Property() label: string = '';
  @Property('points', 'Point[]') points: Point[] = [];
  @Property() closed: boolean = false;
}

class Types extends Contract {
  constructor() {
    super('types');
  }
  @Transaction() async Str(ctx: Context, s: string): Promise<string> {
    void ctx;
    return `[${s}]`;
  }
  @Transaction() async Num(ctx: Context, n: number): Promise<string> {
    void ctx;
    return `${typeof n}:${n}`;
  }
  @Transaction() async Bool(ctx: Context, b: boolean): Promise<string> {
    void ctx;
    return `${typeof b}:${String(b)}`;
  }
  @Transaction() @Param('list', 'number[]') async Nums(ctx: Context, list: number[]): Promise<number> {
    void ctx;
    return list.reduce((a, b) => a + b, 0);
  }
  @Transaction() @Param('words', 'Array<string>') async Words(ctx: Context, words: string[]): Promise<string> {
    void ctx;
    return words.join('|');
  }
  @Transaction() async Obj(ctx: Context, p: Point): Promise<string> {
    void ctx;
    return `${p.constructor.name}:${p.norm()}`;
  }
  @Transaction() @Param('shapes', 'Shape[]') async Objs(ctx: Context, shapes: Shape[]): Promise<string> {
    void ctx;
    return shapes.map((s) => `${s.constructor.name}:${s.label}:${s.points.length}`).join(',');
  }
  @Transaction() @Param('m', 'Map<string, number>') async Dict(ctx: Context, m: Record<string, number>): Promise<string> {
    void ctx;
    return Object.keys(m).join(',');
  }
  @Transaction(false) @Returns('Point') async MakePoint(ctx: Context, x: number, y: number): Promise<Point> {
    void ctx;
    return Object.assign(new Point(), { x, y });
  }
  @Transaction(false) @Returns('string') async WrongReturn(ctx: Context): Promise<unknown> {
    void ctx;
    return 42;
  }
  @Transaction(false) async Nothing(ctx: Context): Promise<void> {
    void ctx;
  }
  @Transaction(false) async AMap(ctx: Context): Promise<Map<string, number>> {
    void ctx;
    return new Map([['a', 1]]);
  }
}

const text = (r: ChaincodeResponse) => Buffer.from(r.payload ?? new Uint8Array()).toString();
const cc = chaincodeFromContracts([Types]);
const call = (...args: string[]) => cc.Invoke(new FakeStub(args, new Map(), pem).asStub());

const good: [string, string[], string][] = [
  ['string', ['Str', 'hello world'], '[hello world]'],
  ['empty string', ['Str', ''], '[]'],
  ['string that looks like JSON stays text', ['Str', '{"a":1}'], '[{"a":1}]'],
  ['integer', ['Num', '42'], 'number:42'],
  ['negative float', ['Num', '-1.5e2'], 'number:-150'],
  ['boolean true', ['Bool', 'true'], 'boolean:true'],
  ['boolean FALSE (any case)', ['Bool', ' FALSE '], 'boolean:false'],
  ['array of numbers', ['Nums', '[1,2,3.5]'], '6.5'],
  ['empty array', ['Nums', '[]'], '0'],
  // fabric-contract-api converts each item from its JSON text, so string items keep their quotes
  // (and numbers pass as text); a contract running on both stacks must see the same values.
  ['Array<string> (items keep their JSON quotes, as in fabric-contract-api)', ['Words', '["a","b c"]'], '"a"|"b c"'],
  ['string array with numbers (as text, as in fabric-contract-api)', ['Words', '[1,2]'], '1|2'],
  ['number that is infinite (as in fabric-contract-api)', ['Num', '-Infinity'], 'number:-Infinity'],
  ['@Object (an instance of its class)', ['Obj', '{"x":3,"y":4}'], 'Point:5'],
  [
    'array of @Object',
    ['Objs', '[{"label":"tri","points":[{"x":0,"y":0}],"closed":true},{"label":"none","points":[],"closed":false}]'],
    'Shape:tri:1,Shape:none:0',
  ],
  ['Map<string, number>', ['Dict', '{"a":1,"b":2}'], 'a,b'],
];

// The response carries fabric-shim's message (the log names the parameter and the transaction).
const bad: [string, string[], string | RegExp][] = [
  ['number from text', ['Num', 'abc'], 'fromBuffer could not convert data to number'],
  ['number from empty text (fabric-shim reads 0; stricter on purpose)', ['Num', ''], 'fromBuffer could not convert data to number'],
  ['boolean from yes', ['Bool', 'yes'], 'fromBuffer could not convert data to boolean'],
  ["array from non-JSON (JSON.parse's message)", ['Nums', '1,2'], /JSON at position 1/],
  ['array from an object', ['Nums', '{"a":1}'], 'fromBuffer could not convert data to an array'],
  ['array with a wrong element', ['Nums', '[1,"2"]'], 'fromBuffer could not convert data to number'],
  ['@Object with a wrong property type', ['Obj', '{"x":"3","y":4}'], 'Unable to validate parameter due to ["should be number"]'],
  ['@Object from non-JSON', ['Obj', 'x=3'], /is not valid JSON/],
  ['@Object that is not an object', ['Obj', '[1]'], 'Unable to validate parameter due to ["should be object"]'],
  [
    'nested @Object with a wrong property',
    ['Objs', '[{"label":"t","points":[{"x":"no"}],"closed":true}]'],
    'Unable to validate parameter due to ["should be number"]',
  ],
  ['Map with a wrong value', ['Dict', '{"a":"one"}'], 'Unable to validate parameter due to ["should be number"]'],
  ['too few arguments', ['Num'], 'Expected 1 parameters, but 0 have been supplied'],
  ['too many arguments', ['Str', 'a', 'b'], 'Expected 1 parameters, but 2 have been supplied'],
];

describe('arguments', () => {
  it.each(good)('accepts %s', async (_what, args, expected) => {
    const r = await call(...args);
    expect(r.message ?? '').toBe('');
    expect(text(r)).toBe(expected);
  });

  it.each(bad)("rejects %s with fabric-shim's message", async (_what, args, message) => {
    const r = await call(...args);
    expect(r.status).toBe(500);
    if (typeof message === 'string') expect(r.message).toBe(message);
    else expect(r.message).toMatch(message);
  });
});

describe('results', () => {
  it('encodes @Object results as JSON, nothing as an empty payload, Maps as objects', async () => {
    expect(JSON.parse(text(await call('MakePoint', '1', '2')))).toEqual({ x: 1, y: 2 });
    const nothing = await call('Nothing');
    expect(nothing.status).toBe(200);
    expect(nothing.payload?.length ?? 0).toBe(0);
    expect(text(await call('AMap'))).toBe('{"a":1}');
  });

  it('does not check results against @Returns by default (as fabric-shim)', async () => {
    expect(text(await call('WrongReturn'))).toBe('42');
  });

  it('checks results against @Returns with strictReturns', async () => {
    const strict = chaincodeFromContracts([Types], { strictReturns: true });
    const r = await strict.Invoke(new FakeStub(['WrongReturn'], new Map(), pem).asStub());
    expect(r).toMatchObject({
      status: 500,
      message: 'The result of transaction types:WrongReturn does not match its declared type: must be string',
    });
    expect(JSON.parse(text(await strict.Invoke(new FakeStub(['MakePoint', '1', '2'], new Map(), pem).asStub())))).toEqual({ x: 1, y: 2 });
  });
});

describe('JSONSerializer', () => {
  const s = new JSONSerializer();
  const full = (prop: JsonSchema): FullSchema => ({ properties: { prop }, components: { schemas: {} } });

  it("matches fabric-contract-api's JSONSerializer on results", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Official = require('fabric-contract-api').JSONSerializer as new () => { toBuffer(r: unknown, s?: unknown): Buffer | undefined };
    const theirs = new Official();
    class WithToJSON {
      a = 1;
      toJSON(): string {
        return 'replaced';
      }
    }
    // class-transformer's classToPlain runs first there: toJSON of a class is not used, own
    // function properties are called, Sets are arrays, holes are dropped, boxed strings are objects.
    const values: unknown[] = [
      'text',
      12.5,
      true,
      { a: [1, { b: null }] },
      [1, 'x'],
      Buffer.from('raw'),
      null,
      undefined,
      new Set([1, 2]),
      new WithToJSON(),
      { inner: new WithToJSON() },
      {
        f(): number {
          return 1;
        },
      },
      [1, , 3],
      new Map<string, unknown>([['k', { d: new Date(0), m: new Map([['n', 1]]) }]]),
      new String('ab'),
      { u: undefined, b: Buffer.from('x') },
    ];
    for (const v of values) expect(s.toBuffer(v)?.toString()).toBe(theirs.toBuffer(v)?.toString());
    expect(() => s.toBuffer(5, { type: 'string' })).toThrow('Returned value is number does not match schema type of string');
    expect(() => theirs.toBuffer(5, { type: 'string' })).toThrow('Returned value is number does not match schema type of string');
  });

  it('reads Buffer JSON and free-form values', () => {
    const buf = s.fromBuffer(Buffer.from(JSON.stringify(Buffer.from('hi'))), full({ type: 'object' })) as Deserialized;
    expect(Buffer.isBuffer(buf.value)).toBe(true);
    expect((buf.value as Buffer).toString()).toBe('hi');
    expect(s.fromBuffer(Buffer.from('not json'), full({ type: 'object' })).value).toBe('not json');
  });
});

describe('custom serializers', () => {
  class UpperSerializer extends JSONSerializer {
    override toBuffer(result: unknown, schema?: JsonSchema): Buffer {
      const b = super.toBuffer(result, schema);
      return b && Buffer.from(b.toString().toUpperCase());
    }
    override fromBuffer(data: Buffer, fullschema: FullSchema): Deserialized {
      const d = super.fromBuffer(data, fullschema);
      return typeof d.value === 'string' ? { value: d.value.trim() } : d;
    }
  }

  it("are selected by name, as in a chaincode module's `serializers` export", async () => {
    const custom = chaincodeFromContracts([Types], { serializers: { transaction: 'upper', serializers: { upper: UpperSerializer } } });
    expect(text(await custom.Invoke(new FakeStub(['Str', '  abc  '], new Map(), pem).asStub()))).toBe('[ABC]');
  });

  it('must name a known serializer', () => {
    expect(() => chaincodeFromContracts([Types], { serializers: { transaction: 'nope', serializers: {} } })).toThrow(
      /Serializer 'nope' is not among the serializers: jsonSerializer/,
    );
  });
});
