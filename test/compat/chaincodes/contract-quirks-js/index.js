'use strict';
// Contract API in JavaScript, no decorators: each transaction returns or throws something the
// contract API must turn into response bytes exactly as fabric-contract-api does, or
// serialises an object the shim handed over.
const { Contract, Context } = require('fabric-contract-api');
const { ClientIdentity } = require('fabric-shim');

class Money {
  constructor(amount, currency) {
    this.amount = amount;
    this.currency = currency;
  }

  get display() {
    return `${this.amount} ${this.currency}`;
  }
}

class Shapes extends Contract {
  constructor() {
    super('shapes');
  }

  async ReturnsBuffer() {
    return Buffer.from('raw bytes');
  }

  async ReturnsUint8Array() {
    return new Uint8Array([1, 2, 3]);
  }

  async ReturnsString() {
    return 'a string';
  }

  async ReturnsEmptyString() {
    return '';
  }

  async ReturnsNumber() {
    return 42.5;
  }

  async ReturnsZero() {
    return 0;
  }

  async ReturnsBoolean() {
    return false;
  }

  async ReturnsUndefined() {
    return undefined;
  }

  async ReturnsNull() {
    return null;
  }

  async ReturnsInstance() {
    return new Money(12, 'EUR');
  }

  async ReturnsArray() {
    return [1, 'two', { three: 3 }];
  }

  async ReturnsDate(ctx) {
    return ctx.stub.getDateTimestamp();
  }

  async ReturnsPutResult(ctx, key) {
    return ctx.stub.putState(key, Buffer.from('stored'));
  }

  async ReturnsDeleteResult(ctx, key) {
    return ctx.stub.deleteState(key);
  }

  async ReturnsGetResult(ctx, key) {
    return ctx.stub.getState(key);
  }

  async ThrowsString() {
    throw 'a thrown string';
  }

  async ThrowsObject() {
    throw { code: 'E42', message: 'object with a message' };
  }

  async ThrowsPlainObject() {
    throw { code: 'E43' };
  }

  async ThrowsError() {
    throw new RangeError('out of range');
  }

  async RejectsNull() {
    return Promise.reject(null);
  }

  async Timestamp(ctx) {
    return JSON.stringify(ctx.stub.getTxTimestamp());
  }

  async TimestampSeconds(ctx) {
    const ts = ctx.stub.getTxTimestamp();
    return { seconds: ts.seconds.toNumber ? ts.seconds.toNumber() : ts.seconds.low, nanos: ts.nanos, ctor: ts.seconds.constructor.name };
  }

  async KvJson(ctx) {
    await ctx.stub.getState('k1');
    const rows = [];
    for await (const kv of ctx.stub.getStateByRange('k', 'l')) rows.push(JSON.stringify(kv));
    return rows;
  }

  async HistoryJson(ctx, key) {
    const rows = [];
    for await (const entry of ctx.stub.getHistoryForKey(key)) rows.push(JSON.parse(JSON.stringify(entry)));
    return rows;
  }

  async IdentityJson(ctx) {
    try {
      return JSON.stringify(ctx.clientIdentity);
    } catch (err) {
      return `cannot serialise: ${err.message.split('\n')[0]}`;
    }
  }

  async IdentityFields(ctx) {
    const cid = new ClientIdentity(ctx.stub);
    return {
      mspId: cid.mspId,
      id: cid.id,
      attrs: cid.attrs,
      ctxSame: ctx.clientIdentity.getID() === cid.getID(),
      keys: Object.keys(ctx.clientIdentity).sort(),
    };
  }

  async ContextShape(ctx) {
    return { isContext: ctx instanceof Context, keys: Object.keys(ctx).sort(), fp: ctx.stub.getFunctionAndParameters() };
  }

  async EmptyKey(ctx) {
    const value = await ctx.stub.getState('');
    return `got ${value.length} bytes`;
  }

  async Put(ctx, key, value) {
    await ctx.stub.putState(key, Buffer.from(value));
  }

  async Args(ctx, ...rest) {
    return { count: rest.length, rest };
  }

  async TwoArgs(ctx, a, b) {
    return `${a}+${b}`;
  }

  _private() {
    return 'hidden';
  }
}

module.exports.contracts = [Shapes];
