/**
 * Entry point read by `fabric-shim-ts start` (package.json `main`). This package holds two
 * chaincodes: `orders` (the exported `contracts`) and `inventory` (src/inventory.ts, served by
 * `npm run start:inventory`). Deploy each under its own name.
 */
import { OrdersContract } from './orders';

export * from './orders';
export { InventoryChaincode, stockKey } from './inventory';

/** The contracts of the `orders` chaincode. */
export const contracts = [OrdersContract];
