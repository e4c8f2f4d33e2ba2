/**
 * The contract metadata JSON, built as fabric-shim 2.5's ChaincodeFromContract builds it
 * (`_augmentMetadataFromCode`): the same contracts, transactions, tags, parameter schemas,
 * `components.schemas` and info, so client tooling that reads `GetMetadata` sees no difference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from './context';
import { Contract } from './contract';
import { type ParamDecl, type TransactionDecl, classChain, objectTypeList, ownDecls } from './declarations';
import { officialParameterNames, parameterNames } from './param-names';
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

function describeParameters(contractName: string, decl: TransactionDecl, contextType: unknown): ParameterMetadata[] {
  const names = decl.standard ? parameterNames(decl.fn) : officialParameterNames(decl.fn);
  let params: ParamDecl[];
  if (decl.parameterTypes) {
    const types = decl.parameterTypes;
    if (names.length !== types.length + 1) {
      throw new Error(
        `Transaction ${contractName}:${decl.name}: ${types.length} parameter types given for ${Math.max(names.length - 1, 0)} parameters after the context`,
      );
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
        throw new Error(
          `Transaction ${contractName}:${decl.name}: the type of parameter '${name}' is unknown; give it with @Param('${name}', type) or @Transaction({ parameters: [...] })`,
        );
      }
      return given;
    });
  } else {
    // Legacy decorators without emitted types (plain JavaScript): fabric-contract-api lists none.
    params = [];
  }
  // fabric-contract-api: a @Param retypes the parameter it names; one naming no parameter is
  // ignored, unless it was applied after @Transaction, which appends it.
  for (const p of decl.params) {
    const i = params.findIndex((q) => q.name === p.name);
    if (i >= 0) params[i] = p;
    else if (p.appended) params.push(p);
  }
  return params.map((p) => ({ name: p.name, description: p.description, schema: p.schema }));
}

function describeDeclared(contractName: string, decl: TransactionDecl, contextType: unknown): TransactionMetadata {
  const tx: TransactionMetadata = { name: decl.name };
  if (decl.commit !== undefined) {
    tx.tag = decl.commit ? ['SUBMIT', 'submitTx'] : ['EVALUATE'];
    tx.parameters = describeParameters(contractName, decl, contextType);
  } else if (decl.params.length > 0) {
    // Only @Param: fabric-contract-api lists them in the order they were applied (bottom up).
    tx.parameters = decl.params.map((p) => ({ name: p.name, description: p.description, schema: p.schema }));
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
      for (let i = 1; i < value.length; i++)
        tx.parameters.push({ name: `arg${i - 1}`, description: `Argument ${i - 1}`, schema: { type: 'string' } });
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

/** Every `$ref` inside a property schema (arrays and maps included). */
function refsOf(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const own = typeof (schema as JsonSchema).$ref === 'string' ? [(schema as JsonSchema).$ref as string] : [];
  return [...own, ...Object.values(schema).flatMap(refsOf)];
}

/**
 * A property whose type is not an `@Object` type makes every schema that uses it unusable:
 * fabric-shim fails at start (ajv cannot resolve the reference). So do we, naming the class and
 * the property. The common case is `@Property() ID = ''`: without a type annotation TypeScript
 * emits `design:type Object`.
 */
function checkPropertyTypes(className: string, properties: Record<string, JsonSchema>, known: Set<string>): void {
  for (const [prop, schema] of Object.entries(properties)) {
    const unknown = refsOf(schema).find((ref) => !known.has(ref));
    if (unknown === undefined) continue;
    const hint =
      unknown === 'Object' || unknown === 'Array'
        ? `TypeScript emitted design:type ${unknown}: annotate it (e.g. '${prop}: string = ...', '${prop}: string[]') or give the type, @Property('${prop}', 'string')`
        : `declare ${unknown} with @Object(), or give a type with @Property('${prop}', type)`;
    throw new Error(`@Object ${className}: property '${prop}' has type '${unknown}', which is not a known type; ${hint}`);
  }
}

/** `components.schemas`: every `@Object` type, as fabric-contract-api's `@Object` records it. */
export function describeObjects(): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  const types = objectTypeList();
  const known = new Set(types.map((t) => t.name));
  for (const { name, ctor } of types) {
    const properties = propertiesOf(ctor);
    checkPropertyTypes(name, properties, known);
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

/**
 * The metadata's default `info` from `dir`'s package.json, as fabric-chaincode-node takes it
 * (`start` and `metadata generate` alike): `name` and `version`, '' for what is missing (also
 * when there is no package.json, where fabric-chaincode-node fails to start).
 */
export function packageInfo(dir: string): { title: string; version: string } {
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) return { title: '', version: '' };
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: unknown; version?: unknown };
  // fabric-shim: `this.title ? this.title : ''`.
  return { title: pkg.name ? String(pkg.name) : '', version: pkg.version ? String(pkg.version) : '' };
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
export function completeMetadata(
  contracts: Contract[],
  defaultName: string,
  supplied: ChaincodeMetadata = {},
  opts: MetadataOptions = {},
): CompleteMetadata {
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
