// Contract API in TypeScript, the asset-transfer-events habits plus what larger contract
// codebases do with the hooks: a Context subclass carrying helpers, beforeTransaction that
// rejects callers, afterTransaction that emits, aroundTransaction that wraps the call,
// unknownTransaction with its own message, several setEvent calls in one transaction.
import { Context, Contract, Default, Transaction } from 'fabric-contract-api';

export class AuditContext extends Context {
  public readonly calls: string[] = [];

  public note(what: string): void {
    this.calls.push(what);
  }
}

@Default()
export class EventsContract extends Contract {
  constructor() {
    super('events');
  }

  public override createContext(): Context {
    return new AuditContext();
  }

  public override async beforeTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    (ctx as AuditContext).note(`before ${fcn}`);
    if (ctx.clientIdentity.getMSPID() === 'Org2MSP' && fcn.endsWith('Asset')) {
      throw new Error(`Org2MSP may not call ${fcn}`);
    }
  }

  public override async afterTransaction(ctx: Context, result: unknown): Promise<void> {
    (ctx as AuditContext).note(`after ${typeof result}`);
    const { fcn } = ctx.stub.getFunctionAndParameters();
    if (fcn === 'events:CreateAsset') {
      ctx.stub.setEvent('Audit', Buffer.from(JSON.stringify((ctx as AuditContext).calls)));
    }
  }

  public override async aroundTransaction(ctx: Context, fn: Function, parameters: any): Promise<void> {
    (ctx as AuditContext).note(`around ${fn.name}`);
    return super.aroundTransaction(ctx, fn, parameters);
  }

  public override async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw new Error(`Function ${fcn} is not part of the events contract`);
  }

  @Transaction()
  public async CreateAsset(
    ctx: AuditContext,
    id: string,
    color: string,
    size: number,
    owner: string,
    appraisedValue: number,
  ): Promise<string> {
    const asset = { ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue };
    const buffer = Buffer.from(JSON.stringify(asset));
    ctx.stub.setEvent('CreateAsset', buffer);
    await ctx.stub.putState(id, buffer);
    return JSON.stringify(asset);
  }

  @Transaction()
  public async TransferAsset(ctx: AuditContext, id: string, newOwner: string): Promise<string> {
    const bytes = await ctx.stub.getState(id);
    if (bytes.length === 0) throw new Error(`The asset ${id} does not exist`);
    const asset = JSON.parse(bytes.toString()) as { Owner: string };
    const oldOwner = asset.Owner;
    asset.Owner = newOwner;
    const buffer = Buffer.from(JSON.stringify(asset));
    // Two events in one transaction: the peer keeps only the last one.
    ctx.stub.setEvent('TransferStarted', Buffer.from(oldOwner));
    ctx.stub.setEvent('TransferAsset', buffer);
    await ctx.stub.putState(id, buffer);
    return oldOwner;
  }

  @Transaction()
  public async FailAfterEvent(ctx: AuditContext, id: string): Promise<void> {
    ctx.stub.setEvent('Doomed', Buffer.from(id));
    await ctx.stub.putState(id, Buffer.from('never'));
    throw new Error(`failing after an event for ${id}`);
  }

  @Transaction()
  public async EmptyEvent(ctx: AuditContext): Promise<void> {
    ctx.stub.setEvent('Empty', Buffer.alloc(0));
  }

  // Declares the base Context although createContext() makes an AuditContext: fabric-contract-api
  // then counts ctx as a parameter (it strips only the createContext() type).
  @Transaction(false)
  public async PlainContext(ctx: Context): Promise<string> {
    return ctx.stub.getTxID();
  }

  @Transaction(false)
  public async Calls(ctx: AuditContext): Promise<string[]> {
    return ctx.calls;
  }

  @Transaction()
  public async BadEventName(ctx: AuditContext): Promise<string> {
    try {
      ctx.stub.setEvent('', Buffer.from('x'));
      return 'accepted';
    } catch (err) {
      return `rejected: ${(err as Error).message}`;
    }
  }
}

export const contracts: (typeof Contract)[] = [EventsContract];
