/**
 * The base class of every contract, as fabric-contract-api's `Contract`: a name, hooks around each
 * transaction, and the context factory. Transaction functions are its subclass's methods.
 */
import { Context } from './context';

const CONTRACT_BRAND = Symbol.for('fabric-shim-ts.contract');

/**
 * Extend this class; each public method (or each `@Transaction` method, when any is decorated)
 * becomes a transaction. Override the hooks as needed.
 *
 * Not generic, as fabric-contract-api's `Contract`: `export const contracts: typeof Contract[] =
 * [MyContract]` must type-check. The hooks take a {@link Context}; an override may declare its
 * own subclass (`beforeTransaction(ctx: MyContext)`) and return it from `createContext()`, as
 * TypeScript checks method parameters bivariantly.
 *
 * @example
 * ```ts
 * class Assets extends Contract {
 *   constructor() { super('assets'); }
 *   @Transaction() async Create(ctx: Context, id: string, value: number) { await ctx.stub.putState(id, Buffer.from(String(value))); }
 * }
 * ```
 */
export class Contract {
  /** The contract's name: the part before `:` in a function name. Defaults to the class name. */
  name: string;

  /** `name` defaults to the class name; it is trimmed as in fabric-contract-api. */
  constructor(name?: string) {
    this.name = name === undefined || name === null ? this.constructor.name : name.trim();
    Object.defineProperty(this, CONTRACT_BRAND, { value: true });
  }

  /**
   * True for a contract instance, also one created by another copy of this module (or by
   * fabric-contract-api, which marks instances with `__isContract`). fabric-contract-api's typings
   * declare it without a parameter, so `obj` is optional (false when absent).
   */
  static _isContract(obj?: unknown): boolean {
    if (obj instanceof Contract) return true;
    if (typeof obj !== 'object' || obj === null) return false;
    return (obj as Record<symbol, unknown>)[CONTRACT_BRAND] === true || Boolean((obj as { __isContract?: unknown }).__isContract);
  }

  /** Runs before every known transaction function, after its arguments were checked. A throw rejects the transaction. */
  async beforeTransaction(ctx: Context): Promise<void> {
    void ctx;
  }

  /** Runs after every known transaction function with its result. A throw rejects the transaction. */
  async afterTransaction(ctx: Context, result: unknown): Promise<void> {
    void ctx;
    void result;
  }

  /**
   * Wraps the call of the transaction function; the default calls it and resolves with its result.
   * Overrides must call `super.aroundTransaction(ctx, fn, parameters)` or no transaction runs.
   *
   * `fn` is the function's name at run time, as in fabric-contract-api (whose typings say
   * `Function`): both are accepted so overrides written either way compile. The result is typed
   * `any` because fabric-contract-api types it `void` while the value is the transaction's result:
   * overrides declared `Promise<void>` that return super's promise must still compile.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-function-type -- fabric-contract-api's signature (see above)
  async aroundTransaction(ctx: Context, fn: string | Function, parameters: any): Promise<any> {
    const method = typeof fn === 'function' ? fn : (this as unknown as Record<string, unknown>)[fn];
    if (typeof method !== 'function') throw new Error(`You've asked to invoke a function that does not exist: ${String(fn)}`);
    return (method as (...args: unknown[]) => unknown).call(this, ctx, ...(parameters as unknown[]));
  }

  /**
   * Runs when the requested function is not a transaction of this contract. The default throws
   * fabric-contract-api's error; an override that returns makes the transaction succeed (empty payload).
   * Typed `Promise<any>` so overrides declared `Promise<void>` (fabric-contract-api's type) and
   * `Promise<unknown>` both compile.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  async unknownTransaction(ctx: Context): Promise<any> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw new Error(`You've asked to invoke a function that does not exist: ${fcn}`);
  }

  /** Creates the context of one transaction; override to return a subclass of {@link Context}. */
  createContext(): Context {
    return new Context();
  }

  /** The contract's name. */
  getName(): string {
    return this.name;
  }
}
