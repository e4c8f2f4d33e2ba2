/**
 * The base class of every contract, as fabric-contract-api's `Contract`: a name, hooks around each
 * transaction, and the context factory. Transaction functions are its subclass's methods.
 */
import { Context } from './context';

const CONTRACT_BRAND = Symbol.for('fabric-shim-ts.contract');

/**
 * Extend this class; each public method (or each `@Transaction` method, when any is decorated)
 * becomes a transaction. Override the hooks as needed. `Ctx` types the context when
 * `createContext` returns a subclass of {@link Context}.
 *
 * @example
 * ```ts
 * class Assets extends Contract {
 *   constructor() { super('assets'); }
 *   @Transaction() async Create(ctx: Context, id: string, value: number) { await ctx.stub.putState(id, Buffer.from(String(value))); }
 * }
 * ```
 */
export class Contract<Ctx extends Context = Context> {
  /** The contract's name: the part before `:` in a function name. Defaults to the class name. */
  name: string;

  /** `name` defaults to the class name; it is trimmed as in fabric-contract-api. */
  constructor(name?: string) {
    this.name = name === undefined || name === null ? this.constructor.name : name.trim();
    Object.defineProperty(this, CONTRACT_BRAND, { value: true });
  }

  /**
   * True for a contract instance, also one created by another copy of this module (or by
   * fabric-contract-api, which marks instances with `__isContract`).
   */
  static _isContract(obj: unknown): boolean {
    if (obj instanceof Contract) return true;
    if (typeof obj !== 'object' || obj === null) return false;
    return (obj as Record<symbol, unknown>)[CONTRACT_BRAND] === true || Boolean((obj as { __isContract?: unknown }).__isContract);
  }

  /** Runs before every known transaction function, after its arguments were checked. A throw rejects the transaction. */
  async beforeTransaction(ctx: Ctx): Promise<void> {
    void ctx;
  }

  /** Runs after every known transaction function with its result. A throw rejects the transaction. */
  async afterTransaction(ctx: Ctx, result: unknown): Promise<void> {
    void ctx;
    void result;
  }

  /**
   * Wraps the call of the transaction function `fn`; the default calls it. Overrides must call
   * `super.aroundTransaction(ctx, fn, parameters)` or no transaction runs.
   */
  async aroundTransaction(ctx: Ctx, fn: string, parameters: unknown[]): Promise<unknown> {
    const method = (this as unknown as Record<string, unknown>)[fn];
    if (typeof method !== 'function') throw new Error(`You've asked to invoke a function that does not exist: ${fn}`);
    return (method as (...args: unknown[]) => unknown).call(this, ctx, ...parameters);
  }

  /**
   * Runs when the requested function is not a transaction of this contract. The default throws
   * fabric-contract-api's error; an override that returns makes the transaction succeed (empty payload).
   */
  async unknownTransaction(ctx: Ctx): Promise<unknown> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw new Error(`You've asked to invoke a function that does not exist: ${fcn}`);
  }

  /** Creates the context of one transaction; override to return a subclass of {@link Context}. */
  createContext(): Ctx {
    return new Context() as Ctx;
  }

  /** The contract's name. */
  getName(): string {
    return this.name;
  }
}
