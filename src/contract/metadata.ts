/**
 * The contract metadata JSON, built as fabric-shim 2.5's ChaincodeFromContract builds it
 * (`_augmentMetadataFromCode`): the same contracts, transactions, tags, parameter schemas,
 * `components.schemas` and info, so client tooling that reads `GetMetadata` sees no difference.
 */
import { Context } from './context';
import { Contract } from './contract';
import { type ParamDecl, type TransactionDecl, classChain, objectTypeList, ownDecls } from './declarations';
import { parameterNames } from './param-names';
import { type JsonSchema, schemaOf } from './type-schema';

/** fabric-shim's `$schema` value for generated metadata. */
export const METADATA_SCHEMA_URL = 'https://hyperledger.github.io/fabric-chaincode-node/main/api/contract-schema.json';

/** One parameter of a transaction. */
export interface ParameterMetadata {
  name: string;
  description?: string;
  schema: JsonSchema;
  [key: string]: unknown;
}

/** One transaction function. Decorated ones carry `tag`; introspected ones `tags` (as fabric-shim). */
export interface TransactionMetadata {
  name: string;
  tag?: string[];
  tags?: string[];
  parameters?: ParameterMetadata[];
  returns?: JsonSchema;
  [key: string]: unknown;
}

/** One contract. */
export interface ContractMetadataEntry {
  name: string;
  contractInstance?: Record<string, unknown>;
  transactions: TransactionMetadata[];
  info?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The whole metadata document (`org.hyperledger.fabric:GetMetadata`'s answer). */
export interface ChaincodeMetadata {
  $schema?: string;
  info?: { title?: string; version?: string; [key: string]: unknown };
  contracts?: Record<string, ContractMetadataEntry>;
  components?: { schemas?: Record<string, JsonSchema>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Metadata after {@link completeMetadata}: every part present. */
export interface CompleteMetadata extends ChaincodeMetadata {
  info: { title?: string; version?: string; [key: string]: unknown };
  contracts: Record<string, ContractMetadataEntry>;
  components: { schemas: Record<string, JsonSchema>; [key: string]: unknown };
}

type AnyFunction = (...args: never[]) => unknown;

function isContextType(type: unknown, contextType: unknown): boolean {
  // fabric-contract-api drops a parameter only when its type is exactly createContext()'s class;
  // we also drop Context and its subclasses, so `ctx: Context` with a custom context still works.
  return typeof type === 'function' && (type === contextType || type === Context || type.prototype instanceof Context);
}

function orderParams(params: ParamDecl[], names: string[]): ParamDecl[] {
  const position = (p: ParamDecl): number => {
    const i = names.indexOf(p.name);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...params].sort((a, b) => position(a) - position(b));
}

function describeParameters(contractName: string, decl: TransactionDecl, contextType: unknown): ParameterMetadata[] {
  const names = parameterNames(decl.fn);
  let params: ParamDecl[];
  if (decl.parameterTypes) {
    const types = decl.parameterTypes;
    if (names.length !== types.length + 1) {
      throw new Error(`Transaction ${contractName}:${decl.name}: ${types.length} parameter types given for ${Math.max(names.length - 1, 0)} parameters after the context`);
    }
    params = types.map((t, i) => ({ name: names[i + 1] ?? `arg${i}`, description: '', schema: schemaOf(t) }));
  } else if (decl.designParamTypes) {
    const kept: { type: unknown; name: string }[] = [];
    decl.designParamTypes.forEach((type, i) => {
      if (!isContextType(type, contextType)) kept.push({ type, name: names[i] ?? `arg${i}` });
    });
    params = kept.map(({ type, name }) => {
      const t = typeof type === 'function' ? type.name : String(type);
      if (t === 'Object' && !decl.params.some((p) => p.name === name)) {
        throw new Error(`Type not properly specified for parameter ${name}, can not process pure Object types`);
      }
      return { name, description: '', schema: t === 'Object' ? {} : schemaOf(type as AnyFunction) };
    });
  } else if (decl.standard) {
    params = names.slice(1).map((name) => {
      const given = decl.params.find((p) => p.name === name);
      if (!given) {
        throw new Error(`Transaction ${contractName}:${decl.name}: the type of parameter '${name}' is unknown; give it with @Param('${name}', type) or @Transaction({ parameters: [...] })`);
      }
      return given;
    });
  } else {
    // Legacy decorators without emitted types (plain JavaScript): fabric-contract-api lists none.
    params = [];
  }
  for (const p of decl.params) {
    const i = params.findIndex((q) => q.name === p.name);
    if (i >= 0) params[i] = p;
    else params.push(p);
  }
  return orderParams(params, names).map((p) => ({ name: p.name, description: p.description, schema: p.schema }));
}

function describeDeclared(contractName: string, decl: TransactionDecl, contextType: unknown): TransactionMetadata {
  const tx: TransactionMetadata = { name: decl.name };
  if (decl.commit !== undefined) {
    tx.tag = decl.commit ? ['SUBMIT', 'submitTx'] : ['EVALUATE'];
    tx.parameters = describeParameters(contractName, decl, contextType);
  } else if (decl.params.length > 0) {
    tx.parameters = orderParams(decl.params, parameterNames(decl.fn)).map((p) => ({ ...p }));
  }
  if (decl.returns) tx.returns = decl.returns;
  // Same key order as fabric-contract-api, so GetMetadata answers the same bytes.
  const ordered: Record<string, unknown> = {};
  const source = tx as Record<string, unknown>;
  for (const key of [...decl.keyOrder, 'name', 'tag', 'parameters', 'returns']) {
    if (key in source && !(key in ordered)) ordered[key] = source[key];
  }
  return ordered as TransactionMetadata;
}

const SKIP = new Set(Object.getOwnPropertyNames(Contract.prototype));

/** Every public method of the contract's own class, as fabric-shim introspects undecorated contracts. */
function introspect(contract: Contract): TransactionMetadata[] {
  const proto = Object.getPrototypeOf(contract) as object;
  const out: TransactionMetadata[] = [];
  for (const name of Object.getOwnPropertyNames(proto)) {
    const value = (contract as unknown as Record<string, unknown>)[name];
    if (typeof value !== 'function' || name === 'constructor' || name.startsWith('_') || SKIP.has(name)) continue;
    const tx: TransactionMetadata = { name };
    if (contract.getName() !== 'org.hyperledger.fabric') tx.tags = ['SUBMIT', 'submitTx'];
    // Every argument is a string named argN; the first declared parameter is the context.
    if (value.length > 1) {
      tx.parameters = [];
      for (let i = 1; i < value.length; i++) tx.parameters.push({ name: `arg${i - 1}`, description: `Argument ${i - 1}`, schema: { type: 'string' } });
    }
    out.push(tx);
  }
  return out;
}

/** The transactions of one contract instance: decorated methods along its class chain, else introspection. */
export function describeTransactions(contract: Contract): TransactionMetadata[] {
  const decls = new Map<string, TransactionDecl>();
  for (const ctor of classChain(contract.constructor)) {
    for (const [name, decl] of ownDecls(ctor)?.transactions ?? []) decls.set(name, decl);
  }
  if (decls.size === 0) return introspect(contract);
  const contextType = contract.createContext().constructor;
  return [...decls.values()].map((decl) => describeDeclared(contract.getName(), decl, contextType));
}

/** The `@Info` of a contract's class, or fabric-shim's empty default. */
export function describeInfo(contract: Contract): Record<string, unknown> {
  const info = ownDecls(contract.constructor)?.info;
  return info ? { ...info } : { title: '', version: '' };
}

/** True when the contract's class carries `@Default`. */
export function isDefaultContract(contract: Contract): boolean {
  return ownDecls(contract.constructor)?.isDefault === true;
}

function propertiesOf(ctor: object): Record<string, JsonSchema> {
  // Own @Property declarations, else the nearest ancestor's (fabric reads them with getMetadata).
  for (const c of classChain(ctor).reverse()) {
    const props = ownDecls(c)?.properties;
    if (props && props.size > 0) return Object.fromEntries(props);
  }
  return {};
}

/** `components.schemas`: every `@Object` type, as fabric-contract-api's `@Object` records it. */
export function describeObjects(): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const { name, ctor } of objectTypeList()) {
    const properties = propertiesOf(ctor);
    const superName = (Object.getPrototypeOf(ctor.prototype) as { constructor: AnyFunction }).constructor.name;
    if (superName === 'Object') {
      const schema: JsonSchema = { $id: name, type: 'object', properties };
      const discriminator = ownDecls(ctor)?.object?.discriminator;
      if (discriminator !== undefined) schema.discriminator = { propertyName: discriminator };
      schemas[name] = schema;
    } else {
      schemas[name] = { $id: name, allOf: [{ type: 'object', properties }, { $ref: superName }] };
    }
  }
  return schemas;
}

/** A JSON copy of the contract instance without `_`-prefixed fields, as fabric-shim puts in the metadata. */
function instanceJson(contract: Contract, isDefault: boolean): Record<string, unknown> {
  const json = JSON.parse(JSON.stringify(contract)) as Record<string, unknown>;
  const copy = Object.fromEntries(Object.entries(json).filter(([key]) => !key.startsWith('_')));
  if (isDefault) copy.default = true;
  return copy;
}

/** Options for {@link completeMetadata}. */
export interface MetadataOptions {
  /** `info.title` when the metadata has no info (fabric-shim uses package.json's name). */
  title?: string;
  /** `info.version` when the metadata has no info (package.json's version). */
  version?: string;
}

/**
 * Completes `supplied` (a user's `META-INF/metadata.json`, or `{}`) from the code: contracts when
 * none are given, top-level info, components and `$schema`, as fabric-shim does. Throws when
 * supplied contracts do not name every implemented contract. Does not modify `supplied`.
 */
export function completeMetadata(contracts: Contract[], defaultName: string, supplied: ChaincodeMetadata = {}, opts: MetadataOptions = {}): CompleteMetadata {
  const metadata = JSON.parse(JSON.stringify(supplied)) as ChaincodeMetadata;
  const given = metadata.contracts;
  if (given && Object.keys(given).length > 0) {
    const missing = contracts.filter((c) => !given[c.getName()]).map((c) => `Missing contract ${c.getName()} in metadata`);
    if (missing.length > 0) throw new Error(JSON.stringify(missing));
  }
  metadata.$schema ??= METADATA_SCHEMA_URL;
  if (!given || Object.keys(given).length === 0) {
    metadata.contracts = {};
    for (const contract of contracts) {
      const name = contract.getName();
      metadata.contracts[name] = {
        name,
        contractInstance: instanceJson(contract, name === defaultName),
        transactions: describeTransactions(contract),
        info: describeInfo(contract),
      };
    }
  }
  metadata.info ??= { version: opts.version ?? '', title: opts.title ?? '' };
  metadata.components ??= { schemas: describeObjects() };
  metadata.components.schemas ??= {};
  return metadata as CompleteMetadata;
}
