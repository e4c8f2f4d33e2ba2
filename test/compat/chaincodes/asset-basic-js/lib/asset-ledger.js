'use strict';
// Contract API in JavaScript, the asset-transfer-basic habits: no decorators, JSON strings in
// and out, writes returned straight from the stub (`return ctx.stub.putState(...)`), a
// GetAll that never closes its iterator, a Transfer that returns the previous owner.
const { Contract } = require('fabric-contract-api');

const toBytes = (asset) => Buffer.from(JSON.stringify(asset, Object.keys(asset).sort()));

class AssetLedger extends Contract {
  async InitLedger(ctx) {
    const assets = [
      { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 },
      { ID: 'asset2', Color: 'red', Size: 5, Owner: 'Brad', AppraisedValue: 400 },
      { ID: 'asset3', Color: 'green', Size: 10, Owner: 'Jin Soo', AppraisedValue: 500 },
    ];
    for (const asset of assets) {
      asset.docType = 'asset';
      await ctx.stub.putState(asset.ID, toBytes(asset));
    }
  }

  async CreateAsset(ctx, id, color, size, owner, appraisedValue) {
    if (await this.AssetExists(ctx, id)) {
      throw new Error(`The asset ${id} already exists`);
    }
    const asset = { ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue };
    await ctx.stub.putState(id, toBytes(asset));
    return JSON.stringify(asset);
  }

  async ReadAsset(ctx, id) {
    const assetJSON = await ctx.stub.getState(id);
    if (!assetJSON || assetJSON.length === 0) {
      throw new Error(`The asset ${id} does not exist`);
    }
    return assetJSON.toString();
  }

  async UpdateAsset(ctx, id, color, size, owner, appraisedValue) {
    if (!(await this.AssetExists(ctx, id))) {
      throw new Error(`The asset ${id} does not exist`);
    }
    const updated = { ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue };
    return ctx.stub.putState(id, toBytes(updated));
  }

  async DeleteAsset(ctx, id) {
    if (!(await this.AssetExists(ctx, id))) {
      throw new Error(`The asset ${id} does not exist`);
    }
    return ctx.stub.deleteState(id);
  }

  async AssetExists(ctx, id) {
    const assetJSON = await ctx.stub.getState(id);
    return assetJSON && assetJSON.length > 0;
  }

  async TransferAsset(ctx, id, newOwner) {
    const asset = JSON.parse(await this.ReadAsset(ctx, id));
    const oldOwner = asset.Owner;
    asset.Owner = newOwner;
    await ctx.stub.putState(id, toBytes(asset));
    return oldOwner;
  }

  async GetAllAssets(ctx) {
    const allResults = [];
    const iterator = await ctx.stub.getStateByRange('', '');
    let result = await iterator.next();
    while (!result.done) {
      const strValue = Buffer.from(result.value.value.toString()).toString('utf8');
      let record;
      try {
        record = JSON.parse(strValue);
      } catch (err) {
        record = strValue;
      }
      allResults.push(record);
      result = await iterator.next();
    }
    return JSON.stringify(allResults);
  }

  // Returns the raw bytes of the state: the contract API's serializer decides what goes out.
  async ReadAssetBytes(ctx, id) {
    return ctx.stub.getState(id);
  }

  // Returns an object: serialised by the contract API's JSON serializer.
  async Summary(ctx) {
    const all = JSON.parse(await this.GetAllAssets(ctx));
    return { count: all.length, owners: all.map((a) => a.Owner), total: all.reduce((n, a) => n + Number(a.AppraisedValue), 0) };
  }
}

module.exports = AssetLedger;
