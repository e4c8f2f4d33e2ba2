/**
 * `fabric-shim-ts/contract`: fabric-contract-api's programming model (contracts, context,
 * decorators, serializers) plus what fabric-shim's contract runtime does (routing, metadata,
 * marshalling), with TypeScript types. Change `fabric-contract-api` imports to this module.
 */
export { Contract } from './contract';
export { Context, type ContractLogging, type ContractLogLevel } from './context';
export {
  Transaction,
  Returns,
  Param,
  DataObject as Object,
  DataObject,
  Property,
  Info,
  Default,
  type TransactionOptions,
  type ContractInfo,
  type MethodDecorator,
  type PropertyDecorator,
  type ClassDecorator,
} from './decorators';
export { type TypeSpec, type JsonSchema, arrayOf } from './type-schema';
export {
  JSONSerializer,
  createSerializer,
  DEFAULT_SERIALIZERS,
  type Serializer,
  type SerializerClass,
  type SerializerConfig,
  type FullSchema,
  type Deserialized,
} from './serializer';
export {
  completeMetadata,
  METADATA_SCHEMA_URL,
  type ChaincodeMetadata,
  type CompleteMetadata,
  type ContractMetadataEntry,
  type TransactionMetadata,
  type ParameterMetadata,
  type MetadataOptions,
} from './metadata';
export { CONTRACT_METADATA_SCHEMA, validateMetadata, metadataProblems, type MetadataProblem } from './metadata-schema';
export { DataMarshall, type MarshallOptions } from './marshalling';
export { SystemContract, SYSTEM_CONTRACT_NAME } from './system-contract';
export {
  chaincodeFromContracts,
  splitFunctionName,
  type ContractChaincode,
  type ContractChaincodeOptions,
  type ContractLike,
} from './chaincode-from-contract';
export { loadContractModule, readMetadataFile, chaincodeFromModule, type ContractModule } from './contract-package';
export { startModule, type StartModuleOptions } from '../cli/start-module';
