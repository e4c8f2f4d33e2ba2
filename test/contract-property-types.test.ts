/**
 * Issue 12, defect 5: `@Property() ID = ''` (no type annotation) emits `design:type Object`.
 * fabric-shim fails at start (ajv cannot resolve the reference "Object"); we fail at start too,
 * naming the class and the property, instead of failing every call that uses the type.
 * (Its own file: `@Object` types are registered process-wide, so the broken class would stop
 * every other chaincode built in the same test file, as it does in fabric-contract-api.)
 */
import './fixtures/contract-quiet';
import * as official from 'fabric-contract-api';
import { Contract, Context, Object as DataType, Property, Transaction, chaincodeFromContracts } from '../src/contract';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OfficialChaincode = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (...a: unknown[]) => unknown;

@DataType()
export class Broken {
  @Property() Name: string = '';
  @Property() ID = '';
}

@official.Object()
export class OfficialBroken {
  @official.Property() ID = '';
}

class Uses extends Contract {
  @Transaction() async Put(ctx: Context, id: string): Promise<string> {
    void ctx;
    return id;
  }
}

class OfficialUses extends official.Contract {
  @official.Transaction() async Put(ctx: official.Context, id: string): Promise<string> {
    void ctx;
    return id;
  }
}

it('fabric-shim refuses to start', () => {
  const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: official.JSONSerializer } };
  expect(() => new OfficialChaincode([OfficialUses], serializers, {}, 't', '1')).toThrow(
    "can't resolve reference Object from id OfficialBroken",
  );
});

it('we refuse to start, naming the class and the property', () => {
  expect(() => chaincodeFromContracts([Uses])).toThrow(
    /^@Object Broken: property 'ID' has type 'Object', which is not a known type; TypeScript emitted design:type Object: annotate it/,
  );
});
