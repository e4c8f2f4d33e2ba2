/**
 * Arguments in and results out, driven by the metadata: each argument is decoded by the
 * serializer and validated with ajv against its parameter schema before the transaction runs
 * (fabric-shim's DataMarshall). Errors name the parameter and the transaction.
 */
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ParameterMetadata, TransactionMetadata } from './metadata';
import type { FullSchema, Serializer } from './serializer';
import { COMPONENTS_REF, type JsonSchema, refName } from './type-schema';
import { objectType } from './declarations';

/** Options of {@link DataMarshall}. */
export interface MarshallOptions {
  /**
   * Validate results against `@Returns` before encoding. Off by default: fabric-shim never checks
   * results (it hands the serializer no schema), and contracts rely on that.
   */
  strictReturns?: boolean;
}

/** Rewrites `#/components/schemas/X` to `X`, the id each component is registered under. */
function localRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(localRefs);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENTS_REF) ? refName(v) : localRefs(v);
  }
  return out;
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath ? e.instancePath + ' ' : ''}${e.message ?? e.keyword}`).join('; ');
}

/** An argument error: fabric-shim's text as the message, what it concerns as the cause (logged). */
function parameterError(message: string, concerning: string): Error {
  return new Error(message, { cause: concerning });
}

/**
 * fabric-shim validates with ajv 6, whose messages say "should" where ajv 8's say "must"; the
 * response carries them, so they are worded as ajv 6 words them.
 */
function ajv6Message(error: ErrorObject): string {
  if (error.keyword === 'anyOf') return 'should match some schema in anyOf';
  return (error.message ?? error.keyword).replace(/^must\b/, 'should');
}

/** Decodes and validates arguments, and encodes results, for the transactions of one chaincode. */
export class DataMarshall {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly serializerComponents: Record<string, JsonSchema>;

  /** `components` is the metadata's `components.schemas`. */
  constructor(
    private readonly serializer: Serializer,
    components: Record<string, JsonSchema>,
    private readonly options: MarshallOptions = {},
  ) {
    // fabric-shim's ajv settings (defaults filled in, no type coercion, all errors); strict off
    // because component schemas may carry OpenAPI words such as `discriminator`.
    this.ajv = new Ajv({ useDefaults: true, coerceTypes: false, allErrors: true, strict: false, validateFormats: false });
    this.serializerComponents = {};
    for (const [name, schema] of Object.entries(components)) {
      const local = localRefs(schema) as JsonSchema;
      local.$id ??= name;
      this.ajv.addSchema(local);
      // Serializers written for fabric-contract-api find the class of an @Object type in `cnstr`.
      const cnstr = objectType(name)?.ctor;
      this.serializerComponents[name] = cnstr ? { ...schema, cnstr } : schema;
    }
    // fabric-shim compiles every component at start, so an unusable one (a reference to a type
    // that does not exist) stops the chaincode there rather than failing each call that uses it.
    for (const [name, schema] of Object.entries(components)) {
      try {
        this.ajv.getSchema(typeof schema.$id === 'string' ? schema.$id : name);
      } catch (e) {
        throw new Error(`The type ${name} in the metadata's components cannot be used: ${(e as Error).message}`);
      }
    }
  }

  private validator(key: string, schema: JsonSchema, what: string): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      try {
        validate = this.ajv.compile(localRefs(schema) as JsonSchema);
      } catch (e) {
        // The response carries fabric-contract-api's (ajv 6) text, which names the reference as the
        // metadata writes it; ours resolves components by their local name.
        const missing = (e as { missingRef?: unknown }).missingRef;
        const text = typeof missing === 'string' ? `can't resolve reference ${COMPONENTS_REF}${missing} from id #` : (e as Error).message;
        throw parameterError(text, `${what} has an unusable type ${JSON.stringify(schema)}`);
      }
      this.validators.set(key, validate);
    }
    return validate;
  }

  /**
   * The values to call transaction `tx` of contract `contractName` with, from its raw arguments.
   * Throws (and the transaction does not run) when the count is wrong or an argument does not fit.
   */
  handleParameters(contractName: string, tx: TransactionMetadata, args: Buffer[], loggerPrefix = ''): unknown[] {
    const txName = `${contractName}:${tx.name}`;
    const expected: ParameterMetadata[] | undefined = tx.parameters;
    // No declared parameters (introspected JavaScript contracts): every argument as a string.
    if (!expected) return args.map((a) => a.toString('utf8'));
    // The response carries fabric-shim's message (it is part of what a client sees); the cause,
    // which names the parameter and the transaction, is logged.
    if (expected.length !== args.length) {
      throw parameterError(`Expected ${expected.length} parameters, but ${args.length} have been supplied`, `transaction ${txName}`);
    }
    return expected.map((param, i) => {
      const what = `parameter '${param.name}' of transaction ${txName}`;
      const schema = param.schema;
      if (!schema || (schema.type === undefined && schema.$ref === undefined)) {
        throw parameterError(`Incorrect type information ${JSON.stringify(schema)}`, what);
      }
      const full: FullSchema = { properties: { prop: schema }, components: { schemas: this.serializerComponents } };
      let decoded;
      try {
        decoded = this.serializer.fromBuffer(args[i] as Buffer, full, loggerPrefix);
      } catch (e) {
        throw parameterError(e instanceof Error ? e.message : String(e), what);
      }
      const validate = this.validator(`${txName}#${i}`, schema, what);
      const data = decoded.validateData ?? decoded.value;
      if (!validate(data)) {
        throw parameterError(
          `Unable to validate parameter due to ${JSON.stringify((validate.errors ?? []).map(ajv6Message))}`,
          `${what}: ${describeErrors(validate)}`,
        );
      }
      return decoded.value;
    });
  }

  /** The payload for `result` of transaction `tx` (empty when the serializer returns nothing). */
  toWireBuffer(contractName: string, tx: TransactionMetadata, result: unknown, loggerPrefix = ''): Uint8Array | undefined {
    if (!this.options.strictReturns || !tx.returns) return this.serializer.toBuffer(result, {}, loggerPrefix);
    const what = `The result of transaction ${contractName}:${tx.name}`;
    const validate = this.validator(`${contractName}:${tx.name}#returns`, tx.returns, what);
    const json = result === undefined ? undefined : (JSON.parse(JSON.stringify(result) ?? 'null') as unknown);
    if (!validate(json)) throw new Error(`${what} does not match its declared type: ${describeErrors(validate)}`);
    return this.serializer.toBuffer(result, tx.returns, loggerPrefix);
  }
}
