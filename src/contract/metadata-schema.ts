/**
 * Fabric's contract metadata JSON schema (fabric-contract-api 2.5 `schema/contract-schema.json`),
 * and validation of metadata documents against it with ajv.
 *
 * The shipped schema is draft-04 and borrows pieces of the draft-04 meta-schema by URL; ajv 8 does
 * not speak draft-04, so this copy inlines those pieces (same constraints) and declares draft-07.
 * Descriptions are dropped; the test suite checks that verdicts match fabric-shim's own validator.
 */
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';

/** The contract metadata schema. */
export const CONTRACT_METADATA_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  title: 'Hyperledger Fabric Contract Definition JSON Schema',
  required: ['info', 'contracts'],
  properties: {
    info: { $ref: '#/definitions/info' },
    contracts: { type: 'object', patternProperties: { '^.*$': { $ref: '#/definitions/contract' } } },
    components: { $ref: '#/definitions/components' },
  },
  definitions: {
    info: {
      type: 'object',
      required: ['version', 'title'],
      properties: {
        title: { type: 'string' },
        version: { type: 'string' },
        description: { type: 'string' },
        termsOfService: { type: 'string' },
        contact: { $ref: '#/definitions/contact' },
        license: { $ref: '#/definitions/license' },
      },
    },
    contact: {
      type: 'object',
      properties: { name: { type: 'string' }, url: { type: 'string', format: 'uri' }, email: { type: 'string', format: 'email' } },
    },
    license: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string' }, url: { type: 'string', format: 'uri' } },
    },
    contract: {
      type: 'object',
      required: ['name', 'transactions'],
      properties: {
        info: { $ref: '#/definitions/info' },
        name: { type: 'string' },
        transactions: { type: 'array', items: { $ref: '#/definitions/transaction' } },
      },
    },
    objecttype: {
      type: 'object',
      required: ['$id'],
      properties: {
        $id: { type: 'string' },
        properties: { '^.*$': { $ref: '#/definitions/schema' } },
        required: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
      },
    },
    parametersList: {
      type: 'array',
      additionalItems: false,
      items: { oneOf: [{ $ref: '#/definitions/parameter' }, { $ref: '#/definitions/jsonReference' }] },
      uniqueItems: true,
    },
    transaction: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        tag: { type: 'array', items: { type: 'string' } },
        parameters: { $ref: '#/definitions/parametersList' },
        returns: { $ref: '#/definitions/schema' },
      },
    },
    parameter: {
      type: 'object',
      required: ['name', 'schema'],
      properties: {
        description: { type: 'string' },
        name: { type: 'string' },
        required: { type: 'boolean', default: false },
        schema: { $ref: '#/definitions/schema' },
      },
      additionalProperties: false,
    },
    jsonReference: { type: 'object', required: ['$ref'], additionalProperties: false, properties: { $ref: { type: 'string' } } },
    schema: {
      type: 'object',
      properties: {
        $ref: { type: 'string' },
        format: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
        default: {},
        multipleOf: { type: 'number', exclusiveMinimum: 0 },
        maximum: { type: 'number' },
        exclusiveMaximum: { type: 'boolean', default: false },
        minimum: { type: 'number' },
        exclusiveMinimum: { type: 'boolean', default: false },
        maxLength: { type: 'integer', minimum: 0 },
        minLength: { type: 'integer', minimum: 0, default: 0 },
        pattern: { type: 'string', format: 'regex' },
        maxItems: { type: 'integer', minimum: 0 },
        minItems: { type: 'integer', minimum: 0, default: 0 },
        uniqueItems: { type: 'boolean', default: false },
        maxProperties: { type: 'integer', minimum: 0 },
        minProperties: { type: 'integer', minimum: 0, default: 0 },
        required: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
        enum: { type: 'array', minItems: 1, uniqueItems: true },
        additionalProperties: { anyOf: [{ $ref: '#/definitions/schema' }, { type: 'boolean' }], default: {} },
        type: {
          anyOf: [
            { $ref: '#/definitions/simpleTypes' },
            { type: 'array', items: { $ref: '#/definitions/simpleTypes' }, minItems: 1, uniqueItems: true },
          ],
        },
        items: {
          anyOf: [{ $ref: '#/definitions/schema' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/schema' } }],
          default: {},
        },
        allOf: { type: 'array', minItems: 1, items: { $ref: '#/definitions/schema' } },
        properties: { type: 'object', additionalProperties: { $ref: '#/definitions/schema' }, default: {} },
        discriminator: { type: 'string' },
        readOnly: { type: 'boolean', default: false },
        example: {},
      },
      additionalProperties: false,
    },
    components: {
      type: 'object',
      properties: { schemas: { type: 'object', patternProperties: { '^.*$': { $ref: '#/definitions/objecttype' } } } },
    },
    simpleTypes: { enum: ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'] },
  },
} as const;

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  // strict off: the schema uses OpenAPI words (discriminator, example) ajv does not know;
  // formats are documentation here, as in fabric-shim (which loads no format validators).
  validator ??= new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(CONTRACT_METADATA_SCHEMA);
  return validator;
}

/** One schema violation: where (JSON pointer) and what. */
export interface MetadataProblem {
  instancePath: string;
  message: string;
}

/** The ways `metadata` breaks Fabric's contract metadata schema; empty when it conforms. */
export function metadataProblems(metadata: unknown): MetadataProblem[] {
  const validate = compiled();
  if (validate(metadata)) return [];
  return (validate.errors ?? []).map((e) => ({ instancePath: e.instancePath, message: e.message ?? e.keyword }));
}

/** Throws fabric-shim's error (`Contract metadata does not match the schema: ...`) unless `metadata` conforms. */
export function validateMetadata(metadata: unknown): void {
  const problems = metadataProblems(metadata);
  if (problems.length > 0) throw new Error('Contract metadata does not match the schema: ' + JSON.stringify(problems));
}
