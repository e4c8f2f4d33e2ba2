// Contract API in TypeScript, the decorator habits of larger contract codebases: a model with
// nested objects and arrays, @Property with explicit names and types, @Param that documents
// (and sometimes names a parameter that no longer exists after a refactor), @Returns of a
// model type, two contracts in one chaincode with one @Default, an @Info on one only.
import { Context, Contract, Default, Info, Object as DataType, Param, Property, Returns, Transaction } from 'fabric-contract-api';

@DataType()
export class Address {
  @Property()
  public street: string = '';

  @Property()
  public zip: number = 0;
}

@DataType()
export class Person {
  @Property()
  public id: string = '';

  @Property('fullName', 'string')
  public name: string = '';

  @Property()
  public age: number = 0;

  @Property()
  public address: Address = new Address();

  @Property('tags', 'string[]')
  public tags: string[] = [];

  @Property()
  public active: boolean = true;
}

@Info({ title: 'Registry', version: '9.9.9', description: 'People and their addresses' })
@Default()
export class RegistryContract extends Contract {
  constructor() {
    super('registry');
  }

  @Transaction()
  @Param('person', 'Person', 'the person to store')
  public async Register(ctx: Context, person: Person): Promise<void> {
    await ctx.stub.putState(person.id, Buffer.from(JSON.stringify(person)));
  }

  @Transaction(false)
  @Returns('Person')
  public async Lookup(ctx: Context, id: string): Promise<Person> {
    const bytes = await ctx.stub.getState(id);
    if (bytes.length === 0) throw new Error(`${id} is not registered`);
    return JSON.parse(bytes.toString()) as Person;
  }

  @Transaction()
  @Param('id', 'string', 'who moves')
  @Param('newStreet', 'string', 'renamed away long ago')
  public async Move(ctx: Context, id: string, street: string, zip: number): Promise<Address> {
    const person = await this.Lookup(ctx, id);
    person.address = { street, zip };
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(person)));
    return person.address;
  }

  @Transaction(false)
  public async Count(ctx: Context, minAge: number, activeOnly: boolean): Promise<number> {
    let n = 0;
    for await (const kv of ctx.stub.getStateByRange('', '')) {
      const p = JSON.parse(Buffer.from(kv.value).toString()) as Person;
      if (p.age >= minAge && (!activeOnly || p.active)) n++;
    }
    return n;
  }

  @Transaction()
  public async Tag(ctx: Context, id: string, tags: string[]): Promise<string[]> {
    const person = await this.Lookup(ctx, id);
    person.tags = [...person.tags, ...tags];
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(person)));
    return person.tags;
  }
}

export class AdminContract extends Contract {
  constructor() {
    super('admin');
  }

  @Transaction(false)
  public async Ping(): Promise<string> {
    return 'pong';
  }

  @Transaction()
  public async Wipe(ctx: Context, id: string): Promise<boolean> {
    await ctx.stub.deleteState(id);
    return true;
  }

  public async NotDecorated(ctx: Context): Promise<string> {
    return ctx.stub.getTxID();
  }
}

export const contracts: (typeof Contract)[] = [RegistryContract, AdminContract];
