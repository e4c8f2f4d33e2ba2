/**
 * Routing and hooks of chaincodeFromContracts: Contract:Transaction names, the default contract,
 * hook order and short-circuits, unknownTransaction, custom contexts, errors as responses.
 */
import './fixtures/contract-quiet';
import { Context, Contract, Default, Returns, Transaction, chaincodeFromContracts } from '../src/contract';
import { FakeStub, creatorPem } from './fixtures/contract-fake-stub';
import type { ChaincodeResponse } from '../src/index';

let pem: string;
beforeAll(async () => {
  pem = await creatorPem();
});

const text = (r: ChaincodeResponse) => Buffer.from(r.payload ?? new Uint8Array()).toString();
const call = (cc: { Invoke(s: never): Promise<ChaincodeResponse> | ChaincodeResponse }, ...args: string[]) =>
  Promise.resolve(cc.Invoke(new FakeStub(args, new Map(), pem).asStub() as never));

class RecordingContext extends Context {
  readonly events: string[] = [];
}

const journal: string[][] = [];

class Hooked extends Contract {
  failIn: 'before' | 'tx' | 'after' | undefined;
  constructor() {
    super('hooked');
  }
  override createContext(): RecordingContext {
    const ctx = new RecordingContext();
    journal.push(ctx.events);
    return ctx;
  }
  override async beforeTransaction(ctx: RecordingContext): Promise<void> {
    ctx.events.push(`before:${ctx.stub.getFunctionAndParameters().fcn}`);
    if (this.failIn === 'before') throw new Error('denied by before');
  }
  override async aroundTransaction(ctx: RecordingContext, fn: string, parameters: unknown[]): Promise<unknown> {
    ctx.events.push(`around-in:${fn}`);
    const result = await super.aroundTransaction(ctx, fn, parameters);
    ctx.events.push('around-out');
    return result;
  }
  override async afterTransaction(ctx: RecordingContext, result: unknown): Promise<void> {
    ctx.events.push(`after:${String(result)}`);
    if (this.failIn === 'after') throw new Error('rejected by after');
  }
  override async unknownTransaction(ctx: RecordingContext): Promise<unknown> {
    ctx.events.push('unknown');
    return 'ignored';
  }
  @Transaction()
  @Returns('number')
  async Add(ctx: RecordingContext, a: number, b: number): Promise<number> {
    ctx.events.push(`tx:${a}+${b}`);
    if (this.failIn === 'tx') throw new Error('tx failed');
    return a + b;
  }
}

class First extends Contract {
  constructor() {
    super('first');
  }
  @Transaction(false)
  async Who(ctx: Context): Promise<string> {
    return `first ${ctx.clientIdentity.getMSPID()}`;
  }
}

@Default()
class Second extends Contract {
  constructor() {
    super('second');
  }
  @Transaction(false)
  async Who(ctx: Context): Promise<string> {
    ctx.logging.getLogger('who').debug('called');
    return `second ${ctx.logging.getLogger().name}/${ctx.logging.getLogger('who').name}`;
  }
  @Transaction()
  async Throws(): Promise<void> {
    throw 'a bare string';
  }
}

describe('routing', () => {
  it('routes Contract:Transaction, and bare names to the first contract when none is @Default', async () => {
    const cc = chaincodeFromContracts([First, new Hooked()]);
    expect(cc.defaultContractName).toBe('first');
    expect(text(await call(cc, 'first:Who'))).toBe('first Org1MSP');
    expect(text(await call(cc, 'Who'))).toBe('first Org1MSP');
    expect(text(await call(cc, 'hooked:Add', '2', '3'))).toBe('5');
  });

  it('routes bare names to the @Default contract', async () => {
    const cc = chaincodeFromContracts([First, Second]);
    expect(cc.defaultContractName).toBe('second');
    expect(text(await call(cc, 'Who'))).toBe('second second/second:who');
    expect(text(await call(cc, 'first:Who'))).toBe('first Org1MSP');
  });

  it('answers an unknown contract with an error response naming it', async () => {
    const r = await call(chaincodeFromContracts([First]), 'nope:Who');
    expect(r).toMatchObject({ status: 500, message: 'Contract name is not known: nope' });
  });

  it("answers a call without arguments with fabric-shim's default success", async () => {
    const r = await call(chaincodeFromContracts([First]));
    expect(r.status).toBe(200);
    expect(text(r)).toBe('Default initiator successful.');
  });

  it('routes Init like Invoke', async () => {
    const cc = chaincodeFromContracts([First]);
    const r = await cc.Init(new FakeStub(['Who'], new Map(), pem).asStub());
    expect(text(r)).toBe('first Org1MSP');
  });

  it("answers a thrown non-Error with its message property, as fabric-shim (a string has none: '')", async () => {
    expect(await call(chaincodeFromContracts([Second]), 'Throws')).toMatchObject({ status: 500, message: '' });
  });

  it('serves GetMetadata from the system contract', async () => {
    const cc = chaincodeFromContracts([First, Second]);
    const metadata = JSON.parse(text(await call(cc, 'org.hyperledger.fabric:GetMetadata'))) as { contracts: Record<string, unknown> };
    expect(Object.keys(metadata.contracts)).toEqual(['first', 'second', 'org.hyperledger.fabric']);
    expect(metadata).toEqual(JSON.parse(JSON.stringify(cc.metadata)));
  });

  it('rejects two @Default contracts, duplicate names and non-contracts', () => {
    @Default()
    class Third extends Contract {}
    expect(() => chaincodeFromContracts([Second, Third])).toThrow('A default has already been specified');
    expect(() => chaincodeFromContracts([First, First])).toThrow("Two contracts are named 'first'");
    expect(() => chaincodeFromContracts([{ name: 'x' } as unknown as Contract])).toThrow(/invalid contract instance/);
  });

  it('keeps contract names trimmed and defaulted to the class name', () => {
    class Unnamed extends Contract {}
    expect(new Unnamed().getName()).toBe('Unnamed');
    expect(new Contract('  spaced ').getName()).toBe('spaced');
  });
});

describe('hooks', () => {
  const run = async (failIn: Hooked['failIn'], ...args: string[]) => {
    const contract = new Hooked();
    contract.failIn = failIn;
    journal.length = 0;
    const r = await call(chaincodeFromContracts([contract]), ...args);
    return { r, events: journal.flat() };
  };

  it('run before, around, the transaction and after, in that order', async () => {
    const { r, events } = await run(undefined, 'hooked:Add', '1', '2');
    expect(r.status).toBe(200);
    expect(text(r)).toBe('3');
    expect(events).toEqual(['before:hooked:Add', 'around-in:Add', 'tx:1+2', 'around-out', 'after:3']);
  });

  it('a throwing beforeTransaction stops the transaction and after', async () => {
    const { r, events } = await run('before', 'hooked:Add', '1', '2');
    expect(r).toMatchObject({ status: 500, message: 'denied by before' });
    expect(events).toEqual(['before:hooked:Add']);
  });

  it('a throwing transaction skips after', async () => {
    const { r, events } = await run('tx', 'hooked:Add', '1', '2');
    expect(r).toMatchObject({ status: 500, message: 'tx failed' });
    expect(events).toEqual(['before:hooked:Add', 'around-in:Add', 'tx:1+2']);
  });

  it('a throwing afterTransaction fails the transaction', async () => {
    const { r, events } = await run('after', 'hooked:Add', '1', '2');
    expect(r).toMatchObject({ status: 500, message: 'rejected by after' });
    expect(events.at(-1)).toBe('after:3');
  });

  it('a bad argument runs no hook at all', async () => {
    const { r, events } = await run(undefined, 'hooked:Add', '1', 'two');
    expect(r.status).toBe(500);
    expect(r.message).toBe('fromBuffer could not convert data to number');
    expect(events).toEqual([]);
  });

  it('unknown functions go to unknownTransaction only; returning makes an empty success', async () => {
    const { r, events } = await run(undefined, 'hooked:Nope', 'x');
    expect(r.status).toBe(200);
    expect(r.payload?.length ?? 0).toBe(0);
    expect(events).toEqual(['unknown']);
  });

  it("the default unknownTransaction answers fabric-contract-api's error", async () => {
    const r = await call(chaincodeFromContracts([First]), 'first:Missing');
    expect(r).toMatchObject({ status: 500, message: "You've asked to invoke a function that does not exist: first:Missing" });
  });

  it('methods not marked @Transaction are not callable when others are', async () => {
    class Mixed extends Contract {
      @Transaction() async Visible(): Promise<string> {
        return 'v';
      }
      async Hidden(): Promise<string> {
        return 'h';
      }
    }
    const cc = chaincodeFromContracts([Mixed]);
    expect(text(await call(cc, 'Visible'))).toBe('v');
    expect((await call(cc, 'Hidden')).status).toBe(500);
  });
});

describe('context', () => {
  it('builds clientIdentity only when used', async () => {
    class Lazy extends Contract {
      @Transaction() async NoIdentity(): Promise<string> {
        return 'fine';
      }
      @Transaction() async WithIdentity(ctx: Context): Promise<string> {
        return ctx.clientIdentity.getMSPID();
      }
    }
    const cc = chaincodeFromContracts([Lazy]);
    const broken = (args: string[]) => new FakeStub(args, new Map(), 'not a certificate').asStub();
    expect(text(await cc.Invoke(broken(['NoIdentity'])))).toBe('fine');
    expect((await cc.Invoke(broken(['WithIdentity']))).status).toBe(500);
  });

  it('ctx.logging.setLevel applies to the contract loggers and rejects unknown levels', async () => {
    class L extends Contract {
      @Transaction() async SetLevel(ctx: Context, level: string): Promise<string> {
        const before = ctx.logging.getLogger('x');
        ctx.logging.setLevel(level);
        return `${before.level},${ctx.logging.getLogger().level},${ctx.logging.getLogger('new').level}`;
      }
    }
    const cc = chaincodeFromContracts([L]);
    expect(text(await call(cc, 'SetLevel', 'DEBUG'))).toBe('debug,debug,debug');
    expect(text(await call(cc, 'SetLevel', 'warning'))).toBe('warn,warn,warn');
    expect((await call(cc, 'SetLevel', 'LOUD')).message).toMatch(/Unknown log level LOUD/);
    expect(text(await call(cc, 'SetLevel', 'CRITICAL'))).toBe('critical,critical,critical');
  });
});
