'use strict';
// Contract API in JavaScript, the token-erc-20 habits: accounts keyed by the client's
// x509 id (ctx.clientIdentity.getID()), a minter org checked with getMSPID(), allowances under
// a composite key, Transfer/Approval events with JSON payloads, numbers returned bare.
const { Contract } = require('fabric-contract-api');

const balancePrefix = 'balance';
const allowancePrefix = 'allowance';
const nameKey = 'name';
const symbolKey = 'symbol';
const decimalsKey = 'decimals';
const totalSupplyKey = 'totalSupply';

class FungibleToken extends Contract {
  async Initialize(ctx, name, symbol, decimals) {
    if (ctx.clientIdentity.getMSPID() !== 'Org1MSP') {
      throw new Error('client is not authorized to initialize contract');
    }
    const nameBytes = await ctx.stub.getState(nameKey);
    if (nameBytes && nameBytes.length > 0) {
      throw new Error('contract options are already set, client is not authorized to change them');
    }
    await ctx.stub.putState(nameKey, Buffer.from(name));
    await ctx.stub.putState(symbolKey, Buffer.from(symbol));
    await ctx.stub.putState(decimalsKey, Buffer.from(decimals));
    return true;
  }

  async TokenName(ctx) {
    await this.CheckInitialized(ctx);
    return (await ctx.stub.getState(nameKey)).toString();
  }

  async Decimals(ctx) {
    await this.CheckInitialized(ctx);
    return parseInt((await ctx.stub.getState(decimalsKey)).toString());
  }

  async TotalSupply(ctx) {
    await this.CheckInitialized(ctx);
    const bytes = await ctx.stub.getState(totalSupplyKey);
    return parseInt(bytes.toString()) || 0;
  }

  async BalanceOf(ctx, owner) {
    await this.CheckInitialized(ctx);
    const balanceKey = ctx.stub.createCompositeKey(balancePrefix, [owner]);
    const balanceBytes = await ctx.stub.getState(balanceKey);
    if (!balanceBytes || balanceBytes.length === 0) {
      throw new Error(`the account ${owner} does not exist`);
    }
    return parseInt(balanceBytes.toString());
  }

  async Mint(ctx, amount) {
    await this.CheckInitialized(ctx);
    if (ctx.clientIdentity.getMSPID() !== 'Org1MSP') {
      throw new Error('client is not authorized to mint new tokens');
    }
    const minter = ctx.clientIdentity.getID();
    const amountInt = parseInt(amount);
    if (!(amountInt > 0)) throw new Error('mint amount must be a positive integer');
    const balanceKey = ctx.stub.createCompositeKey(balancePrefix, [minter]);
    const current = await ctx.stub.getState(balanceKey);
    const updated = (current && current.length > 0 ? parseInt(current.toString()) : 0) + amountInt;
    await ctx.stub.putState(balanceKey, Buffer.from(updated.toString()));
    const supply = await this.TotalSupply(ctx);
    await ctx.stub.putState(totalSupplyKey, Buffer.from((supply + amountInt).toString()));
    ctx.stub.setEvent('Transfer', Buffer.from(JSON.stringify({ from: '0x0', to: minter, value: amountInt })));
    return true;
  }

  async Transfer(ctx, to, value) {
    await this.CheckInitialized(ctx);
    const from = ctx.clientIdentity.getID();
    await this._transfer(ctx, from, to, value);
    ctx.stub.setEvent('Transfer', Buffer.from(JSON.stringify({ from, to, value: parseInt(value) })));
    return true;
  }

  async Approve(ctx, spender, value) {
    await this.CheckInitialized(ctx);
    const owner = ctx.clientIdentity.getID();
    const allowanceKey = ctx.stub.createCompositeKey(allowancePrefix, [owner, spender]);
    await ctx.stub.putState(allowanceKey, Buffer.from(parseInt(value).toString()));
    ctx.stub.setEvent('Approval', Buffer.from(JSON.stringify({ owner, spender, value: parseInt(value) })));
    return true;
  }

  async Allowance(ctx, owner, spender) {
    await this.CheckInitialized(ctx);
    const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(allowancePrefix, [owner, spender]));
    if (!bytes || bytes.length === 0) throw new Error(`spender ${spender} has no allowance from ${owner}`);
    return parseInt(bytes.toString());
  }

  async TransferFrom(ctx, from, to, value) {
    await this.CheckInitialized(ctx);
    const spender = ctx.clientIdentity.getID();
    const allowanceKey = ctx.stub.createCompositeKey(allowancePrefix, [from, spender]);
    const current = await ctx.stub.getState(allowanceKey);
    if (!current || current.length === 0) throw new Error(`spender ${spender} has no allowance from ${from}`);
    const allowance = parseInt(current.toString());
    const amount = parseInt(value);
    if (allowance < amount) throw new Error('The spender does not have enough allowance to spend.');
    await this._transfer(ctx, from, to, value);
    await ctx.stub.putState(allowanceKey, Buffer.from((allowance - amount).toString()));
    ctx.stub.setEvent('Transfer', Buffer.from(JSON.stringify({ from, to, value: amount })));
    return true;
  }

  async ClientAccountID(ctx) {
    await this.CheckInitialized(ctx);
    return ctx.clientIdentity.getID();
  }

  async ClientAccountBalance(ctx) {
    return this.BalanceOf(ctx, ctx.clientIdentity.getID());
  }

  // Seen in debugging helpers: the whole identity object, serialised by the contract API.
  async WhoAmI(ctx) {
    const cid = ctx.clientIdentity;
    return { mspId: cid.mspId, id: cid.id, role: cid.getAttributeValue('role'), keys: Object.keys(cid).sort() };
  }

  async CheckInitialized(ctx) {
    const nameBytes = await ctx.stub.getState(nameKey);
    if (!nameBytes || nameBytes.length === 0) {
      throw new Error('contract options need to be set before calling any function, call Initialize() to initialize contract');
    }
  }

  async _transfer(ctx, from, to, value) {
    if (from === to) throw new Error('cannot transfer to and from same client account');
    const valueInt = parseInt(value);
    if (valueInt < 0) throw new Error('transfer amount cannot be negative');
    const fromKey = ctx.stub.createCompositeKey(balancePrefix, [from]);
    const fromBytes = await ctx.stub.getState(fromKey);
    if (!fromBytes || fromBytes.length === 0) throw new Error(`client account ${from} has no balance`);
    const fromBalance = parseInt(fromBytes.toString());
    if (fromBalance < valueInt) throw new Error(`client account ${from} has insufficient funds.`);
    const toKey = ctx.stub.createCompositeKey(balancePrefix, [to]);
    const toBytes = await ctx.stub.getState(toKey);
    const toBalance = toBytes && toBytes.length > 0 ? parseInt(toBytes.toString()) : 0;
    await ctx.stub.putState(fromKey, Buffer.from((fromBalance - valueInt).toString()));
    await ctx.stub.putState(toKey, Buffer.from((toBalance + valueInt).toString()));
    return true;
  }
}

module.exports.contracts = [FungibleToken];
