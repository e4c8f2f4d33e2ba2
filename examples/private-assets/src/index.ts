/** Entry point read by `fabric-shim-ts start` (package.json `main`): the exported `contracts`. */
import { PrivateAssetsContract } from './private-assets';

export * from './private-assets';

/** The contracts this chaincode serves. */
export const contracts = [PrivateAssetsContract];
