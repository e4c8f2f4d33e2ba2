/**
 * Transaction serializers: how arguments arrive and results leave as bytes. The interface and the
 * default `JSONSerializer` follow fabric-contract-api's, so a custom serializer written for it
 * (exported as `serializers` next to `contracts`) plugs in unchanged.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { objectType } from './declarations';
import { type JsonSchema, refName } from './type-schema';

/** The schema handed to `fromBuffer`: the parameter as `properties.prop` plus all components. */
export interface FullSchema {
  properties: { prop: JsonSchema };
  components: { schemas: Record<string, JsonSchema> };
}

/** What `fromBuffer` returns: the value for the function and, optionally, the data to validate. */
export interface Deserialized {
  value: unknown;
  /** Validated instead of `value` when set (fabric-shim's DataMarshall reads this name). */
  validateData?: unknown;
  /** fabric-contract-api's JSONSerializer returns this; informational. */
  jsonForValidation?: unknown;
}

/** A transaction serializer, as fabric-contract-api defines one. */
export interface Serializer {
  /** Encodes a transaction's result; `undefined` means an empty payload. */
  toBuffer(result: unknown, schema?: JsonSchema, loggerPrefix?: string): Buffer | Uint8Array | undefined;
  /** Decodes one argument whose schema is `fullschema.properties.prop`. */
  fromBuffer(data: Buffer, fullschema: FullSchema, loggerPrefix?: string): Deserialized;
}

/** A serializer class (constructed with no arguments). */
export type SerializerClass = new () => Serializer;

/**
 * fabric-contract-api's `serializers` export: the name of the one used for transactions and the
 * named implementations (classes, or module names to require).
 */
export interface SerializerConfig {
  transaction: string;
  serializers: Record<string, SerializerClass | string>;
}

type Bag = Record<string, unknown>;

/**
 * class-transformer 0.4's `classToPlain` with its default options, which fabric-contract-api's
 * JSONSerializer applies before `JSON.stringify`; the result must be the same bytes, so its quirks
 * are kept: own enumerable keys only (a class's `toJSON` is never used), a function-valued own
 * property is called and its result kept, Sets become arrays, holes in arrays are dropped, Maps
 * become objects, and keys `constructor`/`__proto__` are skipped.
 */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value) || value instanceof Set) {
    const out: unknown[] = [];
    // forEach skips holes, as class-transformer's does.
    (value as unknown[]).forEach((item) => out.push(toPlain(item)));
    return out;
  }
  if (value instanceof Date) return new Date(value.valueOf());
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (typeof value !== 'object' || value === null || typeof (value as { then?: unknown }).then === 'function') return value;
  const ctor = (value as { constructor?: unknown }).constructor;
  // class-transformer treats a truthy non-function `constructor` field as the object's class and
  // fails looking up its ancestors: fabric-contract-api answers this TypeError.
  if (ctor && ctor !== Object && typeof ctor !== 'function')
    throw new TypeError("Cannot read properties of undefined (reading 'constructor')");
  const isMap = value instanceof Map;
  const keys: unknown[] = isMap ? [...value.keys()] : Object.keys(value);
  const out: Bag = {};
  for (const key of keys) {
    if (key === '__proto__' || key === 'constructor') continue;
    let item: unknown;
    if (isMap) item = value.get(key);
    else {
      const own = (value as Bag)[key as string];
      item = typeof own === 'function' ? (own as () => unknown).call(value) : own;
    }
    out[String(key)] = toPlain(item);
  }
  return out;
}

/**
 * class-transformer 0.4's `plainToClass(cls, json)` for a class without class-transformer
 * decorators, as fabric-contract-api's JSONSerializer builds `@Object` arguments: `new cls()`,
 * then every own key of the JSON except `constructor`/`__proto__` and names of the class's methods
 * (and of getters without setters), nested objects and arrays copied.
 */
function toInstance(cls: unknown, json: unknown): unknown {
  if (Array.isArray(json)) return json.map((item) => toInstance(cls, item));
  if (typeof json !== 'object' || json === null) return json;
  const instance: Bag = typeof cls === 'function' ? (new (cls as new () => object)() as Bag) : {};
  const proto = Object.getPrototypeOf(instance) as object;
  for (const key of Object.keys(json)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if ((descriptor && !descriptor.set) || typeof instance[key] === 'function') continue;
    instance[key] = toInstance(undefined, (json as Bag)[key]);
  }
  return instance;
}

function constructorFor(name: string, components: Record<string, JsonSchema>): unknown {
  return components[name]?.cnstr ?? objectType(name)?.ctor;
}

function toText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * The default serializer, fabric-contract-api's JSONSerializer: strings travel as their UTF-8
 * bytes, numbers and booleans as their text, everything else as class-transformer's plain form in
 * JSON; `@Object` arguments become instances of their class. Its error texts are fabric-contract-api's.
 */
export class JSONSerializer implements Serializer {
  /**
   * Encodes a result. With a string or number schema, the result's type must match it. An
   * undefined or null result gives `undefined` (an empty payload), as fabric-contract-api's,
   * whose typings (kept here so code written against them compiles) say `Buffer`.
   */
  toBuffer(result: unknown, schema: JsonSchema = {}, _loggerPrefix?: string): Buffer {
    if (result === undefined || result === null) return undefined as unknown as Buffer;
    if (schema.type === 'string' || schema.type === 'number') {
      if (typeof result !== schema.type)
        throw new Error(`Returned value is ${typeof result} does not match schema type of ${String(schema.type)}`);
      return Buffer.from(toText(result));
    }
    if (typeof result === 'number' || typeof result === 'string' || typeof result === 'boolean') return Buffer.from(String(result));
    return Buffer.from(JSON.stringify(toPlain(result)) as string);
  }

  /**
   * Decodes one argument as its schema says. `fullschema` is typed `any` as in fabric-contract-api's
   * typings; it must have the {@link FullSchema} shape the dispatcher passes.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fabric-contract-api's signature
  fromBuffer(data: Buffer, schemaArgument: FullSchema | any, _loggerPrefix?: string): Deserialized {
    const fullschema = schemaArgument as FullSchema;
    if (!data) throw new Error('Buffer needs to be supplied');
    if (!fullschema) throw new Error('Schema has not been specified');
    return this.fromString(Buffer.from(data).toString('utf8'), fullschema.properties.prop, fullschema.components.schemas);
  }

  private fromString(text: string, schema: JsonSchema, components: Record<string, JsonSchema>): Deserialized {
    const cls = typeof schema.$ref === 'string' ? constructorFor(refName(schema.$ref), components) : undefined;
    if (cls !== undefined) {
      // JSON.parse's own SyntaxError, as fabric-contract-api lets it through.
      const json = JSON.parse(text) as unknown;
      return { value: toInstance(cls, json), jsonForValidation: json };
    }
    // A type without a class (metadata supplied by the user) is decoded as free-form JSON.
    switch (typeof schema.$ref === 'string' ? undefined : schema.type) {
      case 'string':
        return { value: text, jsonForValidation: JSON.stringify(text) };
      case 'number': {
        // Number('') is 0 in JavaScript; an empty argument is a mistake, not zero (stricter than fabric-contract-api).
        const value = text.trim() === '' ? NaN : Number(text);
        if (Number.isNaN(value)) throw new Error('fromBuffer could not convert data to number');
        return { value, jsonForValidation: value };
      }
      case 'boolean': {
        const b = text.trim().toLowerCase();
        if (b !== 'true' && b !== 'false') throw new Error('fromBuffer could not convert data to boolean');
        return { value: b === 'true', jsonForValidation: b === 'true' };
      }
      case 'array': {
        const json = JSON.parse(text) as unknown;
        if (!Array.isArray(json)) throw new Error('fromBuffer could not convert data to an array');
        // Each item is converted from its JSON text as fabric-contract-api does, so a string item
        // keeps its JSON quotes: ["a"] arrives as ['"a"'] on both stacks.
        const items = (schema.items ?? {}) as JsonSchema;
        return {
          value: json.map((item) => this.fromString(JSON.stringify(item) ?? 'null', items, components).value),
          jsonForValidation: json,
        };
      }
      default: {
        // Maps, free-form objects and untyped arguments: JSON when it parses, else the text itself.
        try {
          const json = JSON.parse(text) as Bag;
          return { value: json.type === 'Buffer' ? Buffer.from(json.data as number[]) : json, jsonForValidation: json };
        } catch {
          return { value: text, jsonForValidation: JSON.stringify(text) };
        }
      }
    }
  }
}

/** The serializer fabric-contract-api chaincode uses when it exports no `serializers`. */
export const DEFAULT_SERIALIZERS: SerializerConfig = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };

/**
 * The transaction serializer a configuration selects. The default JSON serializer is always
 * available as `jsonSerializer`; a string entry is a module name resolved from the working
 * directory (the chaincode's package), as fabric-shim requires it.
 */
export function createSerializer(config: SerializerConfig = DEFAULT_SERIALIZERS): Serializer {
  if (!config.transaction) throw new Error("There should be a 'transaction' property to define the serializer for use with transactions");
  const all: Record<string, SerializerClass | string> = { ...config.serializers, ...DEFAULT_SERIALIZERS.serializers };
  let entry: unknown = all[config.transaction];
  if (entry === undefined)
    throw new Error(`Serializer '${config.transaction}' is not among the serializers: ${Object.keys(all).join(', ')}`);
  if (typeof entry === 'string') {
    const loaded = createRequire(join(process.cwd(), 'package.json'))(entry) as unknown;
    entry = (loaded as { default?: unknown }).default ?? loaded;
  }
  if (typeof entry !== 'function') throw new Error(`Serializer '${config.transaction}' is not a class`);
  return new (entry as SerializerClass)();
}
