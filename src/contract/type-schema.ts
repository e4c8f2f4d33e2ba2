/**
 * Type names to JSON schema, exactly as fabric-contract-api 2.5's `generateSchema` maps them, so
 * the metadata we produce is the metadata client tooling already reads.
 */

/** A JSON schema fragment as used in contract metadata. */
export type JsonSchema = Record<string, unknown>;

/**
 * A type given to a decorator: a type name as fabric-contract-api accepts it (`'string'`,
 * `'number'`, `'boolean'`, `'Asset'`, `'Asset[]'`, `'Array<string>'`, `'Map<string, Asset>'`) or a
 * constructor (`String`, `Number`, `Boolean`, an `@Object` class).
 */
export type TypeSpec = string | (abstract new (...args: never[]) => unknown) | ((...args: never[]) => unknown);

/** Where `$ref`s to `@Object` types point in transaction schemas (fabric-contract-api's refPath). */
export const COMPONENTS_REF = '#/components/schemas/';

/** The name of a {@link TypeSpec}: constructors by their name, strings as given. */
export function typeName(spec: TypeSpec): string {
  return typeof spec === 'function' ? spec.name : String(spec);
}

/** `'Asset[]'`: the type name of an array of `spec`, for decorators that need one. */
export function arrayOf(spec: TypeSpec): string {
  return `${typeName(spec)}[]`;
}

function primitive(type: string): string | undefined {
  const lower = type.toLowerCase();
  return lower === 'string' || lower === 'number' || lower === 'boolean' ? lower : undefined;
}

// The three patterns below are fabric-contract-api's (annotations/utils.js), kept as they are so
// odd spellings map the same way.
const ARROWED_ARRAY = /^Array<[A-z].*>$/;
const BRACKET_ARRAY = /^[A-z].*(\[\])+?/;
const MAP = /^Map<[A-z].*,\s?[A-z].*>$/;

/**
 * The JSON schema of a type name. `fullPath` selects `#/components/schemas/X` (transaction
 * parameters and returns) or a bare `X` (properties inside an `@Object`), as fabric-contract-api does.
 */
export function schemaOf(spec: TypeSpec, fullPath = true): JsonSchema {
  const type = typeName(spec);
  const prim = primitive(type);
  if (prim) return { type: prim };
  if (ARROWED_ARRAY.test(type) || BRACKET_ARRAY.test(type)) {
    const item = ARROWED_ARRAY.test(type) ? type.replace('Array<', '').replace('>', '') : type.replace('[]', '');
    return { type: 'array', items: schemaOf(item, fullPath) };
  }
  if (MAP.test(type)) {
    const value = type.replace(/^Map<[A-z].*?,\s?/, '').replace('>', '');
    return { type: 'object', additionalProperties: schemaOf(value, fullPath) };
  }
  return { $ref: (fullPath ? COMPONENTS_REF : '') + type };
}

/** The `@Object` type name a `$ref` points at (`#/components/schemas/Asset` or `Asset` -> `Asset`). */
export function refName(ref: string): string {
  return ref.startsWith(COMPONENTS_REF) ? ref.slice(COMPONENTS_REF.length) : (ref.split('/').pop() ?? ref);
}
