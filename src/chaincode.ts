/** What a chaincode implements: fabric-shim's `ChaincodeInterface`. */
import type { ChaincodeStub } from './stub';
import { error, type ChaincodeResponse } from './response';

/**
 * A chaincode: `Init` runs for an INIT message (instantiate/upgrade in Fabric 1.x, or an invoke
 * with `--isInit`), `Invoke` for every transaction and query. Each receives a fresh stub.
 *
 * It is a class, as in fabric-shim, so both styles work: `class Cc implements ChaincodeInterface`
 * (TypeScript) and `class Cc extends shim.ChaincodeInterface` (fabric-shim's JavaScript style).
 * The base methods answer with an error response naming the missing method.
 *
 * @example
 * ```ts
 * class Cc implements ChaincodeInterface {
 *   async Init(stub: ChaincodeStub) { return Shim.success(); }
 *   async Invoke(stub: ChaincodeStub) { return Shim.success(await stub.getState('k')); }
 * }
 * ```
 */
export class ChaincodeInterface {
  /** Called for INIT messages. */
  Init(stub: ChaincodeStub): Promise<ChaincodeResponse> | ChaincodeResponse {
    void stub;
    return error('chaincode does not implement Init()');
  }
  /** Called for TRANSACTION messages (invokes and queries). */
  Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> | ChaincodeResponse {
    void stub;
    return error('chaincode does not implement Invoke()');
  }
}

/**
 * Throws a TypeError with fabric-shim's wording unless `chaincode` has Init and Invoke methods,
 * so a wrong argument fails at start-up rather than at the first transaction.
 */
export function assertChaincode(chaincode: unknown): asserts chaincode is ChaincodeInterface {
  if (typeof chaincode !== 'object' || chaincode === null) {
    throw new TypeError('Missing required argument: chaincode');
  }
  const cc = chaincode as Partial<Record<'Init' | 'Invoke', unknown>>;
  if (typeof cc.Init !== 'function') throw new TypeError('The "chaincode" argument must implement the "Init()" method');
  if (typeof cc.Invoke !== 'function') throw new TypeError('The "chaincode" argument must implement the "Invoke()" method');
}
