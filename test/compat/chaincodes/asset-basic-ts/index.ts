import { Contract } from 'fabric-contract-api';
import { AssetTransferContract } from './asset-transfer';

export { AssetTransferContract } from './asset-transfer';

export const contracts: (typeof Contract)[] = [AssetTransferContract];
