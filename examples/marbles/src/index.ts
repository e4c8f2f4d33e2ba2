/** Package entry: the marbles chaincode class and its types. */
export { MarblesChaincode } from './marbles';
export type { Marble } from './marble';
export type { MarbleVersion, Page } from './queries';
