'use strict';
// Contract API in JavaScript, the asset-transfer-ledger-queries habits: a shared
// _GetAllResults(iterator, isHistory) that copies txId and the raw timestamp into the result
// and closes the iterator without awaiting, Mango queries with and without pagination,
// a ResponseMetadata object built from the pagination metadata.
const { Contract } = require('fabric-contract-api');

class Catalogue extends Contract {
  constructor() {
    super('catalogue');
  }

  async CreateAsset(ctx, assetID, color, size, owner, appraisedValue) {
    const exists = await this.AssetExists(ctx, assetID);
    if (exists) throw new Error(`Asset ${assetID} already exists`);
    const asset = { docType: 'asset', assetID, color, size: parseInt(size), owner, appraisedValue: parseInt(appraisedValue) };
    await ctx.stub.putState(assetID, Buffer.from(JSON.stringify(asset)));
    const indexKey = await ctx.stub.createCompositeKey('color~name', [asset.color, asset.assetID]);
    await ctx.stub.putState(indexKey, Buffer.from('\u0000'));
  }

  async ReadAsset(ctx, id) {
    const assetJSON = await ctx.stub.getState(id);
    if (!assetJSON || assetJSON.length === 0) throw new Error(`Asset ${id} does not exist`);
    return assetJSON.toString();
  }

  async DeleteAsset(ctx, id) {
    const asset = JSON.parse(await this.ReadAsset(ctx, id));
    await ctx.stub.deleteState(id);
    await ctx.stub.deleteState(ctx.stub.createCompositeKey('color~name', [asset.color, asset.assetID]));
  }

  async TransferAsset(ctx, assetName, newOwner) {
    const asset = JSON.parse(await this.ReadAsset(ctx, assetName));
    asset.owner = newOwner;
    await ctx.stub.putState(assetName, Buffer.from(JSON.stringify(asset)));
  }

  async GetAssetsByRange(ctx, startKey, endKey) {
    const iterator = await ctx.stub.getStateByRange(startKey, endKey);
    return JSON.stringify(await this._GetAllResults(iterator, false));
  }

  async TransferAssetByColor(ctx, color, newOwner) {
    const iterator = await ctx.stub.getStateByPartialCompositeKey('color~name', [color]);
    let count = 0;
    let res = await iterator.next();
    while (!res.done) {
      if (res.value && res.value.key) {
        const { attributes } = ctx.stub.splitCompositeKey(res.value.key);
        await this.TransferAsset(ctx, attributes[1], newOwner);
        count++;
      }
      res = await iterator.next();
    }
    await iterator.close();
    return count;
  }

  async QueryAssetsByOwner(ctx, owner) {
    return this.GetQueryResultForQueryString(ctx, JSON.stringify({ selector: { docType: 'asset', owner } }));
  }

  async QueryAssets(ctx, queryString) {
    return this.GetQueryResultForQueryString(ctx, queryString);
  }

  async GetQueryResultForQueryString(ctx, queryString) {
    const iterator = await ctx.stub.getQueryResult(queryString);
    return JSON.stringify(await this._GetAllResults(iterator, false));
  }

  async GetAssetsByRangeWithPagination(ctx, startKey, endKey, pageSize, bookmark) {
    const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(startKey, endKey, parseInt(pageSize, 10), bookmark);
    const results = { results: await this._GetAllResults(iterator, false) };
    results.ResponseMetadata = { RecordsCount: metadata.fetchedRecordsCount, Bookmark: metadata.bookmark };
    return JSON.stringify(results);
  }

  async QueryAssetsWithPagination(ctx, queryString, pageSize, bookmark) {
    const { iterator, metadata } = await ctx.stub.getQueryResultWithPagination(queryString, parseInt(pageSize, 10), bookmark);
    // The whole pagination metadata object goes into the answer here.
    return { results: await this._GetAllResults(iterator, false), metadata };
  }

  async GetAssetHistory(ctx, assetName) {
    const iterator = await ctx.stub.getHistoryForKey(assetName);
    return JSON.stringify(await this._GetAllResults(iterator, true));
  }

  async AssetExists(ctx, assetName) {
    const assetState = await ctx.stub.getState(assetName);
    return assetState && assetState.length > 0;
  }

  async _GetAllResults(iterator, isHistory) {
    const allResults = [];
    let res = await iterator.next();
    while (!res.done) {
      if (res.value && res.value.value.toString()) {
        const jsonRes = {};
        if (isHistory && isHistory === true) {
          jsonRes.TxId = res.value.txId;
          jsonRes.Timestamp = res.value.timestamp;
          try {
            jsonRes.Value = JSON.parse(res.value.value.toString('utf8'));
          } catch (err) {
            jsonRes.Value = res.value.value.toString('utf8');
          }
        } else {
          jsonRes.Key = res.value.key;
          try {
            jsonRes.Record = JSON.parse(res.value.value.toString('utf8'));
          } catch (err) {
            jsonRes.Record = res.value.value.toString('utf8');
          }
        }
        allResults.push(jsonRes);
      }
      res = await iterator.next();
    }
    iterator.close();
    return allResults;
  }
}

module.exports.contracts = [Catalogue];
