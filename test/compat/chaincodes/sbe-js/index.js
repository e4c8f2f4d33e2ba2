'use strict';
// Contract API in JavaScript, the asset-transfer-sbe habits: the owner org's key-level
// endorsement policy set with fabric-shim's KeyEndorsementPolicy, read back and listed,
// ownership changes that replace the policy.
const { Contract } = require('fabric-contract-api');
const { KeyEndorsementPolicy } = require('fabric-shim');

class KeyPolicies extends Contract {
  async CreateAsset(ctx, assetId, value, owner) {
    const existing = await ctx.stub.getState(assetId);
    if (existing && existing.length > 0) throw new Error(`Asset ${assetId} already exists`);
    const ownerOrg = ctx.clientIdentity.getMSPID();
    const asset = { ID: assetId, Value: parseInt(value), Owner: owner, OwnerOrg: ownerOrg };
    await ctx.stub.putState(assetId, Buffer.from(JSON.stringify(asset)));
    await this.setAssetStateBasedEndorsement(ctx, assetId, [ownerOrg]);
  }

  async ReadAsset(ctx, assetId) {
    const assetJSON = await ctx.stub.getState(assetId);
    if (!assetJSON || assetJSON.length === 0) throw new Error(`Asset ${assetId} does not exist`);
    return assetJSON.toString();
  }

  async UpdateAsset(ctx, assetId, newValue) {
    const asset = JSON.parse(await this.ReadAsset(ctx, assetId));
    asset.Value = parseInt(newValue);
    return ctx.stub.putState(assetId, Buffer.from(JSON.stringify(asset)));
  }

  async TransferAsset(ctx, assetId, newOwner, newOwnerOrg) {
    const asset = JSON.parse(await this.ReadAsset(ctx, assetId));
    asset.Owner = newOwner;
    asset.OwnerOrg = newOwnerOrg;
    await ctx.stub.putState(assetId, Buffer.from(JSON.stringify(asset)));
    return this.setAssetStateBasedEndorsement(ctx, assetId, [newOwnerOrg]);
  }

  async ShareAsset(ctx, assetId, ...orgs) {
    await this.setAssetStateBasedEndorsement(ctx, assetId, orgs);
    return orgs.length;
  }

  async ListEndorsers(ctx, assetId) {
    const policyBytes = await ctx.stub.getStateValidationParameter(assetId);
    const policy = new KeyEndorsementPolicy(policyBytes);
    return policy.listOrgs();
  }

  async RawPolicy(ctx, assetId) {
    const policyBytes = await ctx.stub.getStateValidationParameter(assetId);
    return Buffer.from(policyBytes).toString('base64');
  }

  async PolicyForMissingKey(ctx) {
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs('MEMBER', 'Org1MSP');
    await ctx.stub.setStateValidationParameter('no-such-key', ep.getPolicy());
    return 'set';
  }

  async DeleteAsset(ctx, assetId) {
    await this.ReadAsset(ctx, assetId);
    return ctx.stub.deleteState(assetId);
  }

  async setAssetStateBasedEndorsement(ctx, assetId, orgsToEndorse) {
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs('MEMBER', ...orgsToEndorse);
    return ctx.stub.setStateValidationParameter(assetId, ep.getPolicy());
  }
}

module.exports.contracts = [KeyPolicies];
