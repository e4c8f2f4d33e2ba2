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

/** Builds `new cls()` and copies the JSON fields onto it (class-transformer's plainToClass, shallow). */
function toInstance(cls: unknown, json: unknown): unknown {
  if (typeof cls !== 'function' || typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  return Object.assign(new (cls as new () => object)(), json);
}

function constructorFor(name: string, components: Record<string, JsonSchema>): unknown {
  return components[name]?.cnstr ?? objectType(name)?.ctor;
}

/** Converts an already-parsed JSON value to the type its schema names (arrays and `@Object` types). */
function fromJson(json: unknown, schema: JsonSchema | undefined, components: Record<string, JsonSchema>): unknown {
  if (!schema) return json;
  if (typeof schema.$ref === 'string') return toInstance(constructorFor(refName(schema.$ref), components), json);
  if (schema.type === 'array' && Array.isArray(json)) return json.map((v) => fromJson(v, schema.items as JsonSchema | undefined, components));
  return json;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`fromBuffer could not parse data as JSON to convert it to ${what}: ${(e as Error).message}`);
  }
}

/**
 * The default serializer. Strings travel as their UTF-8 bytes, numbers and booleans as their text,
 * everything else as JSON (Maps as objects); `@Object` arguments become instances of their class.
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
      if (typeof result !== schema.type) throw new Error(`Returned value is ${typeof result} does not match schema type of ${String(schema.type)}`);
      return Buffer.from(String(result));
    }
    if (typeof result === 'number' || typeof result === 'string' || typeof result === 'boolean') return Buffer.from(String(result));
    const json = JSON.stringify(result, (_key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value));
    return Buffer.from(json);
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
    const text = Buffer.from(data).toString('utf8');
    const schema = fullschema.properties.prop;
    const components = fullschema.components.schemas;
    if (typeof schema.$ref === 'string') {
      const json = parseJson(text, refName(schema.$ref));
      return { value: fromJson(json, schema, components), jsonForValidation: json };
    }
    switch (schema.type) {
      case 'string':
        return { value: text, jsonForValidation: JSON.stringify(text) };
      case 'number': {
        // Number('') is 0 in JavaScript; an empty argument is a mistake, not zero.
        const value = text.trim() === '' ? NaN : Number(text);
        if (!Number.isFinite(value)) throw new Error('fromBuffer could not convert data to number');
        return { value, jsonForValidation: value };
      }
      case 'boolean': {
        const b = text.trim().toLowerCase();
        if (b !== 'true' && b !== 'false') throw new Error('fromBuffer could not convert data to boolean');
        return { value: b === 'true', jsonForValidation: b === 'true' };
      }
      case 'array': {
        const json = parseJson(text, 'an array');
        if (!Array.isArray(json)) throw new Error('fromBuffer could not convert data to an array');
        return { value: fromJson(json, schema, components), jsonForValidation: json };
      }
      default: {
        // Maps, free-form objects and untyped arguments: JSON when it parses, else the text itself.
        let json: unknown;
        try {
          json = JSON.parse(text) as unknown;
        } catch {
          return { value: text, jsonForValidation: JSON.stringify(text) };
        }
        const buffer = json as { type?: unknown; data?: unknown };
        if (buffer && buffer.type === 'Buffer' && Array.isArray(buffer.data)) return { value: Buffer.from(buffer.data as number[]), jsonForValidation: json };
        return { value: json, jsonForValidation: json };
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
  if (entry === undefined) throw new Error(`Serializer '${config.transaction}' is not among the serializers: ${Object.keys(all).join(', ')}`);
  if (typeof entry === 'string') {
    const loaded = createRequire(join(process.cwd(), 'package.json'))(entry) as unknown;
    entry = (loaded as { default?: unknown }).default ?? loaded;
  }
  if (typeof entry !== 'function') throw new Error(`Serializer '${config.transaction}' is not a class`);
  return new (entry as SerializerClass)();
}
