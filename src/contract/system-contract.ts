/**
 * The contract every contract chaincode carries: `org.hyperledger.fabric:GetMetadata` answers the
 * chaincode's metadata, which SDKs and tooling read to discover the transactions.
 */
import { Contract } from './contract';
import type { ChaincodeMetadata } from './metadata';

/** The system contract's name, fixed by Fabric. */
export const SYSTEM_CONTRACT_NAME = 'org.hyperledger.fabric';

/** fabric-shim's SystemContract: one transaction, `GetMetadata`. */
export class SystemContract extends Contract {
  private _metadata: ChaincodeMetadata = {};

  constructor() {
    super(SYSTEM_CONTRACT_NAME);
  }

  /** Sets the metadata to answer (a copy made once the chaincode is assembled). */
  _setMetadata(metadata: ChaincodeMetadata): void {
    this._metadata = metadata;
  }

  /** The metadata of this chaincode. */
  async GetMetadata(): Promise<ChaincodeMetadata> {
    return this._metadata;
  }
}
