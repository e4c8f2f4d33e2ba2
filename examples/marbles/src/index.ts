/**
 * Entry point read by `fabric-shim-ts start` (package.json `main`): it serves the exported
 * `chaincode`, as `Shim.start(new MarblesChaincode())` would.
 */
import { MarblesChaincode } from './marbles';

export { MarblesChaincode } from './marbles';
export type { Marble } from './marble';
export type { MarbleVersion, Page } from './queries';

/** The chaincode instance `fabric-shim-ts start` serves. */
export const chaincode = new MarblesChaincode();
