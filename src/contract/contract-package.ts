/**
 * What a contract chaincode package provides, read as fabric-shim's bootstrap reads it:
 * `package.json`'s `main` exports `contracts` (or is itself one contract class) and optionally
 * `serializers`; a `META-INF/metadata.json` (or `contract-metadata/metadata.json`) supplies
 * metadata. The commands load the module with src/cli/module-loader.ts and interpret its
 * exports here; {@link loadContractModule} is the synchronous form of the public API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import {
  type ContractChaincode,
  type ContractChaincodeOptions,
  type ContractLike,
  chaincodeFromContracts,
} from './chaincode-from-contract';
import { type ChaincodeMetadata, packageInfo } from './metadata';
import { validateMetadata } from './metadata-schema';
import type { SerializerConfig } from './serializer';

/** What a contract package provides. */
export interface ContractModule {
  contracts: ContractLike[];
  serializers?: SerializerConfig;
  /** package.json `name`, the metadata's default title. */
  title?: string;
  /** package.json `version`, the metadata's default version. */
  version?: string;
  /** The package's metadata file, validated; absent when it has none. */
  metadata?: ChaincodeMetadata;
}

/** Reads and validates `META-INF/metadata.json`, else `contract-metadata/metadata.json`, under `modulePath`. */
export function readMetadataFile(modulePath: string): ChaincodeMetadata | undefined {
  const dir = resolve(process.cwd(), modulePath);
  const file = [join(dir, 'META-INF', 'metadata.json'), join(dir, 'contract-metadata', 'metadata.json')].find((f) => existsSync(f));
  if (!file) return undefined;
  let metadata: unknown;
  try {
    metadata = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  validateMetadata(metadata);
  return metadata as ChaincodeMetadata;
}

/**
 * Loads the contract package at `modulePath` (default: the working directory) with `require`,
 * synchronously, as fabric-shim's bootstrap does (the commands use src/cli/module-loader.ts,
 * which also loads ES modules).
 */
export function loadContractModule(modulePath = '.'): ContractModule {
  const dir = resolve(process.cwd(), modulePath);
  const pkgFile = join(dir, 'package.json');
  const pkg = createRequire(pkgFile)(pkgFile) as { main?: string };
  if (!pkg.main) throw new Error("package.json does not contain a 'main' entry for the module");
  return contractModuleFrom(createRequire(pkgFile)(resolve(dir, pkg.main)), dir);
}

/**
 * Builds a {@link ContractModule} from what a package's main module exported, with the package's
 * name, version and metadata file from `dir` (the folder holding its package.json).
 */
export function contractModuleFrom(exported: unknown, dir: string): ContractModule {
  const exp = exported as { contracts?: ContractLike[]; serializers?: SerializerConfig };
  if (exp.serializers && !exp.serializers.transaction) {
    throw new Error("There should be a 'transaction' property to define the serializer for use with transactions");
  }
  const mod: ContractModule = { contracts: exp.contracts ?? [exp as unknown as ContractLike] };
  if (exp.serializers) mod.serializers = exp.serializers;
  Object.assign(mod, packageInfo(dir));
  const metadata = readMetadataFile(dir);
  if (metadata) mod.metadata = metadata;
  return mod;
}

/** The chaincode of the contract package at `modulePath`, ready for `start`/`server`. */
export function chaincodeFromModule(modulePath = '.', opts: Pick<ContractChaincodeOptions, 'strictReturns'> = {}): ContractChaincode {
  const { contracts, ...rest } = loadContractModule(modulePath);
  return chaincodeFromContracts(contracts, { ...rest, ...opts });
}
