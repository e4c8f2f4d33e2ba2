// Contract API in TypeScript with the missing-await mistakes that compile cleanly (no
// no-floating-promises lint in most contract projects): writes in a loop without await, a
// transaction that returns before its write finishes.
import { Context, Contract, Transaction } from 'fabric-contract-api';

export class Notes extends Contract {
  @Transaction()
  public async Put(ctx: Context, key: string, text: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from(text));
  }

  @Transaction(false)
  public async Read(ctx: Context, key: string): Promise<string> {
    return (await ctx.stub.getState(key)).toString();
  }

  @Transaction()
  public async SetMany(ctx: Context, count: number): Promise<number> {
    for (let i = 0; i < count; i++) {
      ctx.stub.putState(`many${i}`, Buffer.from(`note ${i}`));
    }
    return count;
  }
}

export const contracts: (typeof Contract)[] = [Notes];
