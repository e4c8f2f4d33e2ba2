/**
 * Turns contract classes into a chaincode (fabric-shim's ChaincodeFromContract): routing of
 * `Contract:Transaction` names, the default contract, the system contract, argument marshalling,
 * and the hooks in fabric-contract-api's order.
 */
import { error, newLogger, success, type ChaincodeInterface, type ChaincodeResponse, type ChaincodeStub } from '../index';
import { bindContext, contractLogging } from './context';
import { Contract } from './contract';
import { DataMarshall } from './marshalling';
import {
  type ChaincodeMetadata,
  type CompleteMetadata,
  type TransactionMetadata,
  completeMetadata,
  isDefaultContract,
  packageInfo,
} from './metadata';
import { type SerializerConfig, createSerializer } from './serializer';
import { SystemContract } from './system-contract';

/** A contract class (constructed with no arguments) or a ready contract instance. */
export type ContractLike = (new () => Contract) | Contract;

/** Options of {@link chaincodeFromContracts}. */
export interface ContractChaincodeOptions {
  /** Metadata supplied by the user (`META-INF/metadata.json`); what it gives replaces generated parts. */
  metadata?: ChaincodeMetadata;
  /** Serializers, as a chaincode module's `serializers` export. Default: JSON. */
  serializers?: SerializerConfig;
  /**
   * Top-level `info.title` when the metadata has none. fabric-chaincode-node always takes the
   * chaincode package's package.json `name`; without `title` and `version`, so do we, from the
   * package.json in the working directory (its default module path), '' when there is none.
   */
  title?: string;
  /** Top-level `info.version` when the metadata has none (package.json `version`, as `title`). */
  version?: string;
  /** Check results against `@Returns` (fabric-shim does not); see MarshallOptions. */
  strictReturns?: boolean;
}

/** The chaincode built from contracts; `metadata` is what GetMetadata answers. */
export interface ContractChaincode extends ChaincodeInterface {
  readonly metadata: CompleteMetadata;
  /** The name bare function names are routed to. */
  readonly defaultContractName: string;
}

const logger = newLogger('fabric-shim-ts:contract');

/** Splits `name:fn` at the first colon; no colon (or nothing before it) means the default contract. */
export function splitFunctionName(fcn: string, defaultName: string): { contractName: string; fn: string } {
  const colon = fcn.indexOf(':');
  const contractName = colon < 0 ? '' : fcn.slice(0, colon);
  const fn = colon < 0 ? fcn : fcn.slice(colon + 1);
  return { contractName: contractName.trim() === '' ? defaultName : contractName, fn };
}

/**
 * The response message for a thrown value, as fabric-shim computes it (`error.message`): the
 * value's `message` property, '' when it has none (a thrown string or number answers '').
 * fabric-shim itself fails on `throw null`/`throw undefined` and never answers; we answer ''.
 */
function responseMessage(e: unknown): string {
  const message = e === null || e === undefined ? undefined : (e as { message?: unknown }).message;
  return message === undefined || message === null ? '' : String(message);
}

/** What the log says about a thrown value: its message or text, and what it concerns. */
function logMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error && typeof e.cause === 'string' ? ` (${e.cause})` : '';
  return text + cause;
}

class ContractChaincodeImpl implements ContractChaincode {
  readonly metadata: CompleteMetadata;
  readonly defaultContractName: string;
  private readonly contracts = new Map<string, Contract>();
  private readonly marshall: DataMarshall;

  constructor(contracts: ContractLike[], opts: ContractChaincodeOptions) {
    if (!Array.isArray(contracts)) throw new Error('Missing argument: array of contract classes');
    const instances = [...contracts, SystemContract].map((c) => {
      const instance: unknown = typeof c === 'function' ? new c() : c;
      if (!Contract._isContract(instance)) throw new Error(`invalid contract instance ${JSON.stringify(instance)}`);
      return instance as Contract;
    });
    for (const c of instances) {
      if (this.contracts.has(c.getName())) throw new Error(`Two contracts are named '${c.getName()}'`);
      this.contracts.set(c.getName(), c);
    }
    const defaults = instances.filter(isDefaultContract);
    if (defaults.length > 1) throw new Error('A default has already been specified');
    // The first contract is the default unless one carries @Default, as in fabric-shim.
    this.defaultContractName = (defaults[0] ?? (instances[0] as Contract)).getName();
    const metaOpts =
      opts.title === undefined && opts.version === undefined
        ? packageInfo(process.cwd())
        : { ...(opts.title === undefined ? {} : { title: opts.title }), ...(opts.version === undefined ? {} : { version: opts.version }) };
    this.metadata = completeMetadata(instances, this.defaultContractName, opts.metadata, metaOpts);
    const system = this.contracts.get('org.hyperledger.fabric') as SystemContract;
    system._setMetadata(JSON.parse(JSON.stringify(this.metadata)) as ChaincodeMetadata);
    this.marshall = new DataMarshall(
      createSerializer(opts.serializers),
      this.metadata.components.schemas,
      opts.strictReturns === undefined ? {} : { strictReturns: opts.strictReturns },
    );
  }

  Init(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    return this.dispatch(stub);
  }

  Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    return this.dispatch(stub);
  }

  private toWire(contractName: string, tx: TransactionMetadata, result: unknown, prefix: string): Uint8Array | undefined {
    try {
      return this.marshall.toWireBuffer(contractName, tx, result, prefix);
    } catch (e) {
      // fabric-shim runs JSON.stringify(result) (for a debug line) before serialising, so a result
      // it cannot stringify (a cycle, a BigInt) fails with JSON.stringify's error. Checked only
      // on failure, to keep the cost off every transaction.
      JSON.stringify(result);
      throw e;
    }
  }

  private async dispatch(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const args = stub.getBufferArgs();
    // fabric-shim answers an argument-less call (e.g. a bare --isInit) with this success.
    if (args.length < 1) return success(Buffer.from('Default initiator successful.'));
    const prefix = `[${stub.getChannelID()}-${stub.getTxID().substring(0, 8)}]`;
    try {
      const { contractName, fn } = splitFunctionName((args[0] as Buffer).toString('utf8'), this.defaultContractName);
      const contract = this.contracts.get(contractName);
      if (!contract) throw new Error(`Contract name is not known: ${contractName}`);
      const ctx = contract.createContext();
      bindContext(ctx, stub, contractLogging(contractName));
      const tx = this.metadata.contracts[contractName]?.transactions.find((t: TransactionMetadata) => t.name === fn);
      if (!tx) {
        await contract.unknownTransaction(ctx);
        return success();
      }
      // Arguments are checked before any hook, so a bad argument runs no contract code.
      const parameters = this.marshall.handleParameters(contractName, tx, args.slice(1) as Buffer[], prefix);
      await contract.beforeTransaction(ctx);
      const result = await contract.aroundTransaction(ctx, fn, parameters);
      await contract.afterTransaction(ctx, result);
      return success(this.toWire(contractName, tx, result, prefix));
    } catch (e) {
      // The error becomes the transaction's response; the chaincode process carries on.
      logger.error(`${prefix} ${logMessage(e)}`);
      return error(responseMessage(e));
    }
  }
}

/**
 * A chaincode serving `contracts` (classes or instances) plus the system contract
 * `org.hyperledger.fabric`. Function names are `Contract:Transaction`; a bare name goes to the
 * `@Default` contract, else the first one. Throws when the contracts or metadata are inconsistent.
 *
 * @example
 * ```ts
 * import { start } from 'fabric-shim-ts';
 * start(chaincodeFromContracts([AssetTransfer]));
 * ```
 */
export function chaincodeFromContracts(contracts: ContractLike[], opts: ContractChaincodeOptions = {}): ContractChaincode {
  return new ContractChaincodeImpl(contracts, opts);
}
