/**
 * The calling chaincode: orders, with the contract API. Placing an order reserves stock in
 * the inventory chaincode with `invokeChaincode` (same channel: its writes join this
 * transaction) and emits a chaincode event that client applications listen for.
 */
import { Context, Contract, Info, Returns, Transaction } from 'fabric-shim-ts/contract';

/** Name the inventory chaincode is deployed under. */
export const INVENTORY_CHAINCODE = 'inventory';
/** Event emitted when an order is placed. */
export const ORDER_PLACED = 'OrderPlaced';

/** An order as stored under `order:<id>`. */
export interface Order {
  id: string;
  item: string;
  quantity: number;
  buyerMSP: string;
}

/** Orders that reserve stock in another chaincode. */
@Info({ title: 'Orders', description: 'Chaincode events and chaincode-to-chaincode calls' })
export class OrdersContract extends Contract {
  constructor() {
    super('Orders');
  }

  /**
   * Places an order: reserves stock in the inventory chaincode, records the order and emits
   * `OrderPlaced`. If inventory refuses, this throws and nothing is written by either.
   */
  @Transaction()
  async PlaceOrder(ctx: Context, id: string, item: string, quantity: number): Promise<Order> {
    const key = `order:${id}`;
    if ((await ctx.stub.getState(key)).length > 0) throw new Error(`order ${id} already exists`);
    // '' = this channel; the callee's writes become part of this transaction's write set.
    const res = await ctx.stub.invokeChaincode(INVENTORY_CHAINCODE, ['reserve', item, String(quantity)], '');
    if (res.status !== 200) {
      // A real peer hands back status 500 and no payload/message detail from the callee.
      throw new Error(`inventory refused the reservation of ${quantity} ${item} (status ${res.status})`);
    }
    const order: Order = { id, item, quantity, buyerMSP: ctx.clientIdentity.getMSPID() };
    const bytes = Buffer.from(JSON.stringify(order));
    await ctx.stub.putState(key, bytes);
    ctx.stub.setEvent(ORDER_PLACED, bytes);
    return order;
  }

  /** Reads an order. */
  @Transaction(false)
  @Returns('string')
  async GetOrder(ctx: Context, id: string): Promise<string> {
    const bytes = await ctx.stub.getState(`order:${id}`);
    if (bytes.length === 0) throw new Error(`order ${id} does not exist`);
    return Buffer.from(bytes).toString('utf8');
  }

  /** Asks the inventory chaincode how much of `item` is left (a read-only cross-chaincode call). */
  @Transaction(false)
  @Returns('number')
  async StockOf(ctx: Context, item: string): Promise<number> {
    const res = await ctx.stub.invokeChaincode(INVENTORY_CHAINCODE, ['available', item], '');
    if (res.status !== 200) throw new Error(`inventory query failed (status ${res.status})`);
    return Number(Buffer.from(res.payload ?? new Uint8Array()).toString('utf8'));
  }
}
