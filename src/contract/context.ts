/**
 * The transaction context handed to every transaction function and hook, as fabric-contract-api's
 * `Context`: the stub, the client identity and per-contract logging. Subclass it (and override
 * `Contract.createContext`) to add helpers.
 */
import { ClientIdentity, newLogger, parseLevel, type ChaincodeStub, type Logger } from '../index';

/** The level names `ctx.logging.setLevel` accepts (Fabric's, any case). */
export type ContractLogLevel = 'CRITICAL' | 'ERROR' | 'WARNING' | 'WARN' | 'NOTICE' | 'INFO' | 'DEBUG' | (string & {});

/** `ctx.logging`: loggers named after the contract, as fabric-contract-api provides. */
export interface ContractLogging {
  /** The logger `contractName` (no argument) or `contractName:name`. */
  getLogger(name?: string): Logger;
  /** Sets the level of every contract logger, now and for those created later. */
  setLevel(level: ContractLogLevel): void;
}

type LevelName = Logger['level'];

// One logger per name, shared by all transactions, as fabric-contract-api caches its loggers.
const contractLoggers = new Map<string, Logger>();
let levelOverride: LevelName | undefined;

function contractLogger(name: string): Logger {
  let logger = contractLoggers.get(name);
  if (!logger) {
    logger = newLogger(name);
    contractLoggers.set(name, logger);
  }
  if (levelOverride) logger.level = levelOverride;
  return logger;
}

/** The `ctx.logging` object for the contract named `contractName`. */
export function contractLogging(contractName: string): ContractLogging {
  return {
    getLogger: (name?: string) => contractLogger(name ? `${contractName}:${name}` : contractName),
    setLevel: (level: ContractLogLevel) => {
      const parsed = parseLevel(level);
      if (!parsed) throw new Error(`Unknown log level ${level}: use CRITICAL, ERROR, WARNING, NOTICE, INFO or DEBUG`);
      levelOverride = parsed;
      for (const logger of contractLoggers.values()) logger.level = parsed;
    },
  };
}

/**
 * The per-transaction context. The dispatcher sets `stub`, `clientIdentity` and `logging`, in that
 * order, before any hook runs (do not use them in a subclass constructor). They are not class
 * fields: as on fabric-contract-api, a new context has no own keys until the dispatcher sets them,
 * so `Object.keys(ctx)` and `JSON.stringify(ctx)` of a custom context match it (issue 12).
 */
export class Context {
  /** The stub of this transaction: world state, arguments, events, transient data. */
  declare stub: ChaincodeStub;
  /** The identity that submitted this transaction (from the proposal's creator). */
  declare clientIdentity: ClientIdentity;
  /** Loggers named after the contract. */
  declare logging: ContractLogging;

  /** Sets the stub (fabric-contract-api's setter; called by the dispatcher). */
  setChaincodeStub(stub: ChaincodeStub): void {
    this.stub = stub;
  }

  /** Sets the client identity (fabric-contract-api's setter). */
  setClientIdentity(identity: ClientIdentity): void {
    this.clientIdentity = identity;
  }
}

/**
 * Prepares `ctx` for one transaction as fabric-contract-api does (stub, clientIdentity, logging:
 * its key order), except that the ClientIdentity is built on first read: a transaction that never
 * looks at its caller does not parse the creator certificate, and the key is still an own
 * enumerable one, so the context serialises as the official one. @internal
 */
export function bindContext(ctx: Context, stub: ChaincodeStub, logging: ContractLogging): void {
  ctx.setChaincodeStub(stub);
  let identity: ClientIdentity | undefined;
  Object.defineProperty(ctx, 'clientIdentity', {
    configurable: true,
    enumerable: true,
    get: () => (identity ??= new ClientIdentity(stub)),
    set: (value: ClientIdentity) => {
      identity = value;
    },
  });
  ctx.logging = logging;
}
