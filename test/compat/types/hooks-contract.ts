/*
 * Probe: the contract API beyond the basics, as larger codebases use it: a Context subclass and
 * createContext, every hook overridden with fabric-contract-api's signatures, @Param/@Default,
 * named @Property, JSONSerializer, contract loggers, the client identity.
 */
import { Context, Contract, Default, Info, JSONSerializer, Object, Param, Property, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeStub, ClientIdentity } from 'fabric-shim';

export class AuditContext extends Context {
  public readonly startedAt: number;
  public calls: string[] = [];

  constructor() {
    super();
    this.startedAt = Date.now();
  }

  public callerMsp(): string {
    return this.clientIdentity.getMSPID();
  }
}

@Object()
export class Order {
  @Property('orderId', 'string')
  public orderId = '';

  @Property('quantity', 'number')
  public quantity = 0;

  @Property()
  public notes?: string;
}

@Info({ title: 'Orders', description: 'hooks probe', version: '1.0.0', license: { name: 'Apache-2.0' } })
@Default()
export class OrderContract extends Contract {
  constructor() {
    super('org.example.orders');
  }

  public createContext(): AuditContext {
    return new AuditContext();
  }

  public async beforeTransaction(ctx: AuditContext): Promise<void> {
    const { fcn, params } = ctx.stub.getFunctionAndParameters();
    ctx.calls.push(fcn);
    const logger = ctx.logging.getLogger();
    logger.info(`before ${fcn}`, { params });
    logger.debug('caller', ctx.callerMsp());
  }

  public async afterTransaction(ctx: AuditContext, result: any): Promise<void> {
    ctx.logging.getLogger('after').info(`after ${ctx.stub.getTxID()}: ${JSON.stringify(result)}`);
  }

  public async aroundTransaction(ctx: Context, fn: Function, parameters: any): Promise<void> {
    const start = Date.now();
    try {
      return await super.aroundTransaction(ctx, fn, parameters);
    } finally {
      ctx.logging.getLogger().debug(`took ${Date.now() - start}ms`);
    }
  }

  public async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw new Error(`Function ${fcn} is not part of ${this.getName()}`);
  }

  @Transaction()
  @Param('orderId', 'string', 'the order key')
  @Param('quantity', 'number')
  @Returns('Order')
  public async placeOrder(ctx: AuditContext, orderId: string, quantity: number): Promise<Order> {
    const cid: ClientIdentity = ctx.clientIdentity;
    if (!cid.assertAttributeValue('role', 'buyer')) {
      throw new Error(`${cid.getID()} of ${cid.getMSPID()} may not order`);
    }
    const dept: string | null = cid.getAttributeValue('department');
    const idBytes: Uint8Array = cid.getIDBytes();
    const order = new Order();
    order.orderId = orderId;
    order.quantity = quantity;
    order.notes = `${dept ?? 'none'} ${idBytes.length}`;
    const serializer = new JSONSerializer();
    const bytes: Buffer = serializer.toBuffer(order, { type: 'Order' }, 'placeOrder');
    await ctx.stub.putState(orderId, bytes);
    const back = serializer.fromBuffer(bytes, { type: 'string' });
    void back;
    return order;
  }

  @Transaction(false)
  public async readWithOwnIdentity(ctx: Context, key: string): Promise<string> {
    const stub: ChaincodeStub = ctx.stub;
    const cid = new ClientIdentity(stub);
    const data = await stub.getState(key);
    return `${cid.getMSPID()}:${Buffer.from(data).toString('utf8')}`;
  }

  public async setLogLevel(ctx: Context, level: string): Promise<void> {
    ctx.logging.setLevel(level);
  }
}

export class PlainContract extends Contract {
  constructor() {
    super();
  }

  public async aroundTransaction(ctx: Context, fn: Function, parameters: any) {
    return super.aroundTransaction(ctx, fn, parameters);
  }

  public async beforeTransaction(ctx: Context) {
    console.log('is contract', Contract._isContract());
  }
}

export const contracts: (typeof Contract)[] = [OrderContract, PlainContract];
