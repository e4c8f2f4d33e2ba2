/**
 * private-assets over the mock peer: values travel as transient data, land only in private
 * collections, and two organisations check agreement through private data hashes.
 */
import { createHash } from 'node:crypto';
import { chaincodeFromContracts } from 'fabric-shim-ts/contract';
import { MockPeer, type MockChaincode } from 'fabric-shim-ts/testing';
import { contracts, orgCollection, privateDetailsBytes, SHARED_COLLECTION, type SharedAsset } from '../src';

const CC = 'private-assets';
const ORG1 = orgCollection('Org1MSP');
const ORG2 = orgCollection('Org2MSP');

describe('private-assets example', () => {
  let peer: MockPeer;
  let cc: MockChaincode;
  let org1: ReturnType<MockPeer['identity']>;
  let org2: ReturnType<MockPeer['identity']>;

  const props = (assetID: string, appraisedValue: number) => JSON.stringify({ assetID, color: 'blue', size: 5, appraisedValue });
  const shared = (id: string): SharedAsset | undefined => {
    const bytes = peer.ledger.getPrivate(CC, SHARED_COLLECTION, id);
    return bytes && (JSON.parse(bytes.toString('utf8')) as SharedAsset);
  };
  const agreementKey = (id: string) => `\u0000transferAgreement\u0000${id}\u0000`;

  beforeAll(async () => {
    peer = await MockPeer.start();
    cc = await peer.launch(CC, chaincodeFromContracts(contracts), { collections: [SHARED_COLLECTION, ORG1, ORG2] });
    org1 = peer.identity('Org1MSP');
    org2 = peer.identity('Org2MSP');
  });

  afterAll(async () => {
    await peer.stop();
  });

  test('CreateAsset takes its input from the transient map and writes only private data', async () => {
    const res = await cc.invoke(['CreateAsset'], { identity: org1, transient: { asset_properties: props('asset1', 100) } });
    expect(res.status).toBe(200);
    expect(shared('asset1')).toMatchObject({ ID: 'asset1', Color: 'blue', Size: 5, OwnerMSP: 'Org1MSP' });
    expect(peer.ledger.getPrivate(CC, ORG1, 'asset1')).toEqual(Buffer.from(privateDetailsBytes('asset1', 100)));
    expect(peer.ledger.getPrivate(CC, ORG2, 'asset1')).toBeUndefined();
    expect(peer.ledger.keys(CC)).toEqual([]); // nothing in public state
    // every peer of the channel holds the hash, which is what other orgs verify against
    expect(peer.ledger.getPrivateDataHash(CC, ORG1, 'asset1')).toEqual(
      createHash('sha256').update(privateDetailsBytes('asset1', 100)).digest(),
    );
  });

  test('missing or malformed transient input is refused', async () => {
    const none = await cc.invoke(['CreateAsset'], { identity: org1 });
    expect(none.status).toBe(500);
    expect(none.message).toContain("transient field 'asset_properties' is required");
    const bad = await cc.invoke(['CreateAsset'], { identity: org1, transient: { asset_properties: '{"assetID":"x"' } });
    expect(bad.message).toContain("transient field 'asset_properties' must be JSON");
    expect(shared('x')).toBeUndefined();
  });

  test('private details are readable by the owning organisation only', async () => {
    const own = await cc.invoke(['ReadAssetPrivateDetails', ORG1, 'asset1'], { identity: org1 });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.payload.toString())).toEqual({ ID: 'asset1', AppraisedValue: 100 });
    const other = await cc.invoke(['ReadAssetPrivateDetails', ORG1, 'asset1'], { identity: org2 });
    expect(other.status).toBe(500);
    expect(other.message).toContain('client of Org2MSP may not read Org1MSPPrivateCollection');
    // the public part is shared
    expect(JSON.parse((await cc.invoke(['ReadAsset', 'asset1'], { identity: org2 })).payload.toString())).toMatchObject({ ID: 'asset1' });
  });

  test("another organisation verifies a claimed value against the owner's hash without reading it", async () => {
    const right = await cc.invoke(['VerifyAssetProperties', 'Org1MSP'], {
      identity: org2,
      transient: { asset_properties: props('asset1', 100) },
    });
    expect(right.status).toBe(200);
    expect(right.payload.toString()).toBe('true');
    const wrong = await cc.invoke(['VerifyAssetProperties', 'Org1MSP'], {
      identity: org2,
      transient: { asset_properties: props('asset1', 101) },
    });
    expect(wrong.payload.toString()).toBe('false');
  });

  test('a collection the chaincode does not define is rejected by the peer', async () => {
    const org3 = peer.identity('Org3MSP');
    const res = await cc.invoke(['ReadAssetPrivateDetails', orgCollection('Org3MSP'), 'asset1'], { identity: org3 });
    expect(res.status).toBe(500);
    expect(res.message).toContain('Org3MSPPrivateCollection');
  });

  test('transfer needs an agreement on the same value, checked by comparing hashes', async () => {
    const noAgreement = await cc.invoke(['TransferAsset'], {
      identity: org1,
      transient: { asset_owner: JSON.stringify({ assetID: 'asset1', buyerMSP: 'Org2MSP' }) },
    });
    expect(noAgreement.message).toContain('no buyer has agreed to buy asset1');

    // the buyer agrees on a different value: the hashes differ and the transfer fails
    expect(
      (
        await cc.invoke(['AgreeToTransfer'], {
          identity: org2,
          transient: { asset_value: JSON.stringify({ assetID: 'asset1', appraisedValue: 90 }) },
        })
      ).status,
    ).toBe(200);
    expect(peer.ledger.getPrivate(CC, SHARED_COLLECTION, agreementKey('asset1'))).toBeDefined();
    const owner = { asset_owner: JSON.stringify({ assetID: 'asset1', buyerMSP: 'Org2MSP' }) };
    const mismatch = await cc.invoke(['TransferAsset'], { identity: org1, transient: owner });
    expect(mismatch.status).toBe(500);
    expect(mismatch.message).toContain('appraised values for asset1 differ between Org1MSP and Org2MSP');
    expect(shared('asset1')?.OwnerMSP).toBe('Org1MSP');

    // the buyer cannot transfer an asset it does not own
    expect((await cc.invoke(['TransferAsset'], { identity: org2, transient: owner })).message).toContain(
      'the caller does not own asset asset1',
    );

    // agreement on the same value: the transfer goes through
    await cc.invoke(['AgreeToTransfer'], {
      identity: org2,
      transient: { asset_value: JSON.stringify({ assetID: 'asset1', appraisedValue: 100 }) },
    });
    const done = await cc.invoke(['TransferAsset'], { identity: org1, transient: owner });
    expect(done.status).toBe(200);
    expect(shared('asset1')?.OwnerMSP).toBe('Org2MSP');
    expect(peer.ledger.getPrivate(CC, ORG1, 'asset1')).toBeUndefined(); // seller's details removed
    expect(peer.ledger.getPrivate(CC, ORG2, 'asset1')).toEqual(Buffer.from(privateDetailsBytes('asset1', 100)));
    expect(peer.ledger.getPrivate(CC, SHARED_COLLECTION, agreementKey('asset1'))).toBeUndefined();
    // the new owner now controls it, the old one no longer does
    expect(
      (await cc.invoke(['DeleteAsset'], { identity: org1, transient: { asset_delete: JSON.stringify({ assetID: 'asset1' }) } })).status,
    ).toBe(500);
  });

  test('delete sends DEL_STATE, purge sends PURGE_PRIVATE_DATA; both leave nothing readable', async () => {
    const deleted = await cc.invoke(['DeleteAsset'], {
      identity: org2,
      transient: { asset_delete: JSON.stringify({ assetID: 'asset1' }) },
    });
    expect(deleted.status).toBe(200);
    expect(shared('asset1')).toBeUndefined();
    expect(peer.ledger.getPrivate(CC, ORG2, 'asset1')).toBeUndefined();
    const deleteTypes = cc.wire.filter((w) => w.txId === deleted.txId && w.direction === 'received').map((w) => w.type);
    expect(deleteTypes.filter((t) => t === 'DEL_STATE')).toHaveLength(2);

    await cc.invoke(['CreateAsset'], { identity: org1, transient: { asset_properties: props('asset2', 50) } });
    const purged = await cc.invoke(['PurgeAsset'], { identity: org1, transient: { asset_purge: JSON.stringify({ assetID: 'asset2' }) } });
    expect(purged.status).toBe(200);
    expect(shared('asset2')).toBeUndefined();
    expect(peer.ledger.getPrivate(CC, ORG1, 'asset2')).toBeUndefined();
    expect(peer.ledger.getPrivateDataHash(CC, ORG1, 'asset2')).toBeUndefined();
    const purgeTypes = cc.wire.filter((w) => w.txId === purged.txId && w.direction === 'received').map((w) => w.type);
    expect(purgeTypes.filter((t) => t === 'PURGE_PRIVATE_DATA')).toHaveLength(2);
    expect(purgeTypes).not.toContain('DEL_STATE');
  });
});
