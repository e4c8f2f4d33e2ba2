// Contract API in TypeScript, the token-erc-721 habits: per-owner balance entries under a
// composite key, NFT documents, an operator approval map, an attribute-gated mint, class
// instances and numbers returned to the contract API, errors thrown as plain objects.
import { Context, Contract, Info, Object as DataType, Param, Property, Returns, Transaction } from 'fabric-contract-api';

const balancePrefix = 'balance';
const nftPrefix = 'nft';
const approvalPrefix = 'approval';

@DataType()
export class Nft {
  @Property()
  public tokenId: string;

  @Property()
  public owner: string;

  @Property()
  public tokenURI: string;

  @Property()
  public approved?: string;

  constructor(tokenId: string, owner: string, tokenURI: string) {
    this.tokenId = tokenId;
    this.owner = owner;
    this.tokenURI = tokenURI;
  }
}

@Info({ title: 'Erc721', description: 'Non-fungible tokens', version: '0.0.9', license: { name: 'Apache-2.0' } })
export class TokenERC721Contract extends Contract {
  constructor() {
    super('erc721');
  }

  @Transaction(false)
  @Returns('number')
  public async BalanceOf(ctx: Context, owner: string): Promise<number> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(balancePrefix, [owner]);
    let balance = 0;
    let result = await iterator.next();
    while (!result.done) {
      balance++;
      result = await iterator.next();
    }
    await iterator.close();
    return balance;
  }

  @Transaction(false)
  @Returns('string')
  public async OwnerOf(ctx: Context, tokenId: string): Promise<string> {
    const nft = await this._readNft(ctx, tokenId);
    return nft.owner;
  }

  @Transaction(false)
  @Returns('Nft')
  public async ReadNft(ctx: Context, tokenId: string): Promise<Nft> {
    return this._readNft(ctx, tokenId);
  }

  @Transaction()
  @Param('tokenId', 'string', 'the new token id')
  @Param('tokenURI', 'string', 'where the token metadata lives')
  public async MintWithTokenURI(ctx: Context, tokenId: string, tokenURI: string): Promise<Nft> {
    const minter = ctx.clientIdentity.getID();
    if (!ctx.clientIdentity.assertAttributeValue('role', 'minter')) {
      throw { status: 403, message: 'client is not authorized to mint new tokens' };
    }
    const nftKey = ctx.stub.createCompositeKey(nftPrefix, [tokenId]);
    const existing = await ctx.stub.getState(nftKey);
    if (existing.length > 0) {
      throw new Error(`The token ${tokenId} is already minted.`);
    }
    const nft = new Nft(tokenId, minter, tokenURI);
    await ctx.stub.putState(nftKey, Buffer.from(JSON.stringify(nft)));
    await ctx.stub.putState(ctx.stub.createCompositeKey(balancePrefix, [minter, tokenId]), Buffer.from('\u0000'));
    ctx.stub.setEvent('Transfer', Buffer.from(JSON.stringify({ from: '0x0', to: minter, tokenId })));
    return nft;
  }

  @Transaction()
  public async Approve(ctx: Context, approved: string, tokenId: string): Promise<boolean> {
    const sender = ctx.clientIdentity.getID();
    const nft = await this._readNft(ctx, tokenId);
    if (nft.owner !== sender) {
      throw `${sender} is not the owner of ${tokenId}`;
    }
    nft.approved = approved;
    await ctx.stub.putState(ctx.stub.createCompositeKey(nftPrefix, [tokenId]), Buffer.from(JSON.stringify(nft)));
    ctx.stub.setEvent('Approval', Buffer.from(JSON.stringify({ owner: nft.owner, approved, tokenId })));
    return true;
  }

  @Transaction()
  public async SetApprovalForAll(ctx: Context, operator: string, approved: boolean): Promise<boolean> {
    const sender = ctx.clientIdentity.getID();
    const key = ctx.stub.createCompositeKey(approvalPrefix, [sender, operator]);
    await ctx.stub.putState(key, Buffer.from(JSON.stringify({ owner: sender, operator, approved })));
    ctx.stub.setEvent('ApprovalForAll', Buffer.from(JSON.stringify({ owner: sender, operator, approved })));
    return true;
  }

  @Transaction()
  public async TransferFrom(ctx: Context, from: string, to: string, tokenId: string): Promise<boolean> {
    const sender = ctx.clientIdentity.getID();
    const nft = await this._readNft(ctx, tokenId);
    if (nft.owner !== from) throw new Error(`The from is not the current owner.`);
    const operatorKey = ctx.stub.createCompositeKey(approvalPrefix, [from, sender]);
    const operatorBytes = await ctx.stub.getState(operatorKey);
    const isOperator = operatorBytes.length > 0 && (JSON.parse(operatorBytes.toString()) as { approved: boolean }).approved;
    if (sender !== from && nft.approved !== sender && !isOperator) {
      throw new Error('The sender is not allowed to transfer the non-fungible token');
    }
    nft.approved = '';
    nft.owner = to;
    await ctx.stub.putState(ctx.stub.createCompositeKey(nftPrefix, [tokenId]), Buffer.from(JSON.stringify(nft)));
    await ctx.stub.deleteState(ctx.stub.createCompositeKey(balancePrefix, [from, tokenId]));
    await ctx.stub.putState(ctx.stub.createCompositeKey(balancePrefix, [to, tokenId]), Buffer.from('\u0000'));
    ctx.stub.setEvent('Transfer', Buffer.from(JSON.stringify({ from, to, tokenId })));
    return true;
  }

  @Transaction()
  public async Burn(ctx: Context, tokenId: string): Promise<void> {
    const owner = ctx.clientIdentity.getID();
    const nft = await this._readNft(ctx, tokenId);
    if (nft.owner !== owner) throw new Error(`Non-fungible token ${tokenId} is not owned by ${owner}`);
    await ctx.stub.deleteState(ctx.stub.createCompositeKey(nftPrefix, [tokenId]));
    await ctx.stub.deleteState(ctx.stub.createCompositeKey(balancePrefix, [owner, tokenId]));
  }

  @Transaction(false)
  public async TotalSupply(ctx: Context): Promise<number> {
    let count = 0;
    for await (const _kv of ctx.stub.getStateByPartialCompositeKey(nftPrefix, [])) count++;
    return count;
  }

  @Transaction(false)
  public async ClientAccountID(ctx: Context): Promise<string> {
    return ctx.clientIdentity.getID();
  }

  public async _readNft(ctx: Context, tokenId: string): Promise<Nft> {
    const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(nftPrefix, [tokenId]));
    if (bytes.length === 0) {
      throw new Error(`The tokenId ${tokenId} is invalid. It does not exist`);
    }
    const plain = JSON.parse(bytes.toString()) as Nft;
    const nft = new Nft(plain.tokenId, plain.owner, plain.tokenURI);
    if (plain.approved !== undefined) nft.approved = plain.approved;
    return nft;
  }
}

export const contracts: (typeof Contract)[] = [TokenERC721Contract];
