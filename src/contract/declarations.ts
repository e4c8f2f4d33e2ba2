/**
 * What the decorators record about a class, kept per class rather than on `global` as
 * fabric-contract-api does, so two chaincodes in one process (or one test file) do not mix.
 *
 * Legacy decorators (experimentalDecorators) record into a WeakMap keyed by the class; standard
 * (TC39) decorators record into the class's decorator metadata object (`context.metadata`, i.e.
 * `Class[Symbol.metadata]`). Reads look at both.
 */
import type { JsonSchema, TypeSpec } from './type-schema';

/** One `@Param` (or fabric-style parameter) of a transaction. */
export interface ParamDecl {
  name: string;
  description: string;
  schema: JsonSchema;
  /**
   * Applied after `@Transaction` (written above it). fabric-contract-api then appends a `@Param`
   * that names no parameter; one applied before `@Transaction` only retypes a named parameter.
   */
  appended?: boolean;
}

/** What the decorators said about one transaction method. */
export interface TransactionDecl {
  /** The method name, i.e. the transaction name. */
  name: string;
  /** The method itself, for parameter names. */
  fn: (...args: never[]) => unknown;
  /** Set by `@Transaction(commit)`; undefined when only `@Param`/`@Returns` were used. */
  commit?: boolean;
  /** Parameter types given in `@Transaction({ parameters })`, in order, context excluded. */
  parameterTypes?: TypeSpec[];
  /** Legacy decorators only: TypeScript's `design:paramtypes` for the method. */
  designParamTypes?: unknown[];
  /** `@Param` declarations in the order they were applied. */
  params: ParamDecl[];
  /** Set by `@Returns`. */
  returns?: JsonSchema;
  /** Standard decorators: no design types exist, so missing parameter types are an error. */
  standard: boolean;
  /**
   * The order fields were first set in, so the JSON has fabric-contract-api's key order
   * (it builds each entry with Object.assign as decorators run, then appends `name`).
   */
  keyOrder: ('name' | 'tag' | 'parameters' | 'returns')[];
}

/** Everything recorded for one class. */
export interface ClassDecls {
  transactions: Map<string, TransactionDecl>;
  /** `@Property` schemas by property name, in declaration order. */
  properties: Map<string, JsonSchema>;
  /** `@Info` contents (with fabric's `name`/`version` defaults applied). */
  info?: Record<string, unknown>;
  /** `@Default` was applied. */
  isDefault?: boolean;
  /** `@Object` was applied, with its options. */
  object?: { discriminator?: string };
}

type AnyClass = abstract new (...args: never[]) => unknown;

// TypeScript's standard-decorator output fills `context.metadata` only when Symbol.metadata
// exists; Node 20 lacks it, so provide the well-known registered symbol (as core-js does) before
// any decorated class is evaluated. Importing the decorators runs this first.
const symbolCtor = Symbol as unknown as { metadata?: symbol };
symbolCtor.metadata ??= Symbol.for('Symbol.metadata');
/** The `Symbol.metadata` key (native or polyfilled). */
export const METADATA_SYMBOL: symbol = symbolCtor.metadata;

const DECLS = Symbol('fabric-shim-ts:contract-declarations');
const legacy = new WeakMap<object, ClassDecls>();

function empty(): ClassDecls {
  return { transactions: new Map(), properties: new Map() };
}

/** The record for a class being decorated with legacy decorators (created on first use). */
export function legacyDecls(ctor: object): ClassDecls {
  let decls = legacy.get(ctor);
  if (!decls) legacy.set(ctor, (decls = empty()));
  return decls;
}

/** The record inside a standard decorator's `context.metadata` (created on first use, own only). */
export function standardDecls(metadata: DecoratorMetadataObject | undefined, what: string): ClassDecls {
  if (!metadata) {
    throw new Error(`${what}: decorator metadata is unavailable; compile with TypeScript 5.2+ or enable experimentalDecorators`);
  }
  const bag = metadata as Record<symbol, unknown>;
  if (!Object.prototype.hasOwnProperty.call(bag, DECLS)) bag[DECLS] = empty();
  return bag[DECLS] as ClassDecls;
}

/** The record for exactly this class (not its parents), from either decorator style. */
export function ownDecls(ctor: object): ClassDecls | undefined {
  const fromLegacy = legacy.get(ctor);
  if (fromLegacy) return fromLegacy;
  if (!Object.prototype.hasOwnProperty.call(ctor, METADATA_SYMBOL)) return undefined;
  const metadata = (ctor as Record<symbol, unknown>)[METADATA_SYMBOL];
  if (metadata && typeof metadata === 'object' && Object.prototype.hasOwnProperty.call(metadata, DECLS)) {
    return (metadata as Record<symbol, unknown>)[DECLS] as ClassDecls;
  }
  return undefined;
}

/** The class chain of `ctor`, base first, stopping before `Object`. */
export function classChain(ctor: object): object[] {
  const chain: object[] = [];
  for (let c: object | null = ctor; c && c !== Function.prototype && c !== Object; c = Object.getPrototypeOf(c) as object | null) {
    chain.unshift(c);
  }
  return chain;
}

/** An `@Object` type known to this process, as fabric-contract-api's global `fabric:objects`. */
export interface ObjectType {
  name: string;
  ctor: AnyClass;
}

const objectTypes = new Map<string, ObjectType>();

/** Registers an `@Object` class; a later class of the same name replaces it, as in fabric-contract-api. */
export function registerObjectType(ctor: AnyClass): void {
  objectTypes.set(ctor.name, { name: ctor.name, ctor });
}

/** Every `@Object` type registered so far, in registration order. */
export function objectTypeList(): ObjectType[] {
  return [...objectTypes.values()];
}

/** The `@Object` class registered under `name`, if any. */
export function objectType(name: string): ObjectType | undefined {
  return objectTypes.get(name);
}
