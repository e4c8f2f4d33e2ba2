/**
 * The mock peer at the message level: a raw client stream plays the chaincode, so every reply
 * the peer sends is checked byte for byte; plus the proposal against the official decoders,
 * and chaincode-as-a-service via peer.connect().
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ChaincodeAdditionalParamsSchema, ChaincodeIDSchema } from '../src/gen/peer/chaincode_pb';
import {
  ChaincodeMessageSchema,
  ChaincodeMessage_Type as T,
  GetStateSchema,
  PutStateSchema,
  WriteBatchStateSchema,
  WriteRecord_Type,
  type ChaincodeMessage,
} from '../src/gen/peer/chaincode_shim_pb';
import { SignedProposalSchema } from '../src/gen/peer/proposal_pb';
import { error, success } from '../src/response';
import { server } from '../src/server';
import { dialChaincodeSupport, type PeerStream } from '../src/stream';
import { IdentityFactory } from '../src/testing/identities';
import { DEFAULT_CAPABILITIES, MockPeer } from '../src/testing/mock-peer';
import { buildSignedProposal, computeTxId } from '../src/testing/proposals';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fabricProtos = require('@hyperledger/fabric-protos');

/** A chaincode played by hand: send messages, await the peer's replies in order. */
class RawChaincode {
  readonly stream: PeerStream;
  private readonly queue: ChaincodeMessage[] = [];
  private waiting: ((m: ChaincodeMessage | undefined) => void) | undefined;
  ended: Promise<Error | undefined>;

  constructor(address: string) {
    this.stream = dialChaincodeSupport(address);
    let onEnd!: (e: Error | undefined) => void;
    this.ended = new Promise((r) => (onEnd = r));
    this.stream.listen({
      onMessage: (m) => (this.waiting ? (this.waiting(m), (this.waiting = undefined)) : this.queue.push(m)),
      onEnd: (e) => {
        onEnd(e);
        this.waiting?.(undefined);
      },
    });
  }

  send(msg: Partial<Omit<ChaincodeMessage, '$typeName'>>): void {
    this.stream.send(create(ChaincodeMessageSchema, msg));
  }

  next(): Promise<ChaincodeMessage | undefined> {
    const m = this.queue.shift();
    return m ? Promise.resolve(m) : new Promise((r) => (this.waiting = r));
  }

  async register(id: string): Promise<ChaincodeMessage[]> {
    this.send({ type: T.REGISTER, payload: toBinary(ChaincodeIDSchema, create(ChaincodeIDSchema, { name: id })) });
    return [(await this.next())!, (await this.next())!];
  }
}

describe('handshake and talk-back errors on a raw stream', () => {
  let peer: MockPeer;
  const raws: RawChaincode[] = [];
  const raw = (p: MockPeer) => {
    const r = new RawChaincode(p.address);
    raws.push(r);
    return r;
  };
  beforeEach(async () => {
    peer = await MockPeer.start();
  });
  afterEach(async () => {
    for (const r of raws.splice(0)) r.stream.destroy();
    await peer.stop();
  });

  test('REGISTER -> REGISTERED, READY carrying ChaincodeAdditionalParams', async () => {
    const r = raw(peer);
    const [registered, ready] = await r.register('rawcc:1.0');
    expect(registered!.type).toBe(T.REGISTERED);
    expect(registered!.payload).toHaveLength(0);
    expect(ready!.type).toBe(T.READY);
    const params = fromBinary(ChaincodeAdditionalParamsSchema, ready!.payload);
    expect({ ...params, $typeName: undefined }).toEqual({ ...DEFAULT_CAPABILITIES, $typeName: undefined });
    const cc = await peer.waitForChaincode('rawcc');
    expect(cc.chaincodeId).toBe('rawcc:1.0');
  });

  test('a 3.0-style peer sends an empty READY and ends the stream on GET_STATE_MULTIPLE', async () => {
    const old = await MockPeer.start({ capabilities: false });
    try {
      const r = raw(old);
      const [, ready] = await r.register('rawcc:1.0');
      expect(ready!.type).toBe(T.READY);
      expect(ready!.payload).toHaveLength(0);
      r.send({ type: T.GET_STATE_MULTIPLE, txid: 'tx', channelId: 'mychannel' });
      expect(await r.next()).toBeUndefined();
      expect(await r.ended).toBeDefined();
    } finally {
      await old.stop();
    }
  });

  test('a message before REGISTER ends the stream', async () => {
    const r = raw(peer);
    r.send({ type: T.GET_STATE, txid: 'tx1' });
    expect(await r.next()).toBeUndefined();
    expect(await r.ended).toBeDefined();
  });

  test('a talk-back for a txid not in flight gets ERROR naming the txid', async () => {
    const r = raw(peer);
    await r.register('rawcc:1.0');
    r.send({
      type: T.GET_STATE,
      txid: 'ghost',
      channelId: 'mychannel',
      payload: toBinary(GetStateSchema, create(GetStateSchema, { key: 'k' })),
    });
    const reply = (await r.next())!;
    expect(reply.type).toBe(T.ERROR);
    expect(reply.txid).toBe('ghost');
    expect(reply.channelId).toBe('mychannel');
    expect(Buffer.from(reply.payload).toString()).toMatch(/ghost.*not in flight/);
  });

  test('an empty key and an unknown collection are rejected inside a transaction; the write set is dropped', async () => {
    const r = raw(peer);
    await r.register('rawcc:1.0');
    const cc = await peer.waitForChaincode('rawcc', { collections: ['c1'] });
    const invoked = cc.invoke(['go']);
    const tx = (await r.next())!;
    expect(tx.type).toBe(T.TRANSACTION);
    const put = (key: string, collection = '') =>
      r.send({
        type: T.PUT_STATE,
        txid: tx.txid,
        channelId: tx.channelId,
        payload: toBinary(PutStateSchema, create(PutStateSchema, { key, value: Buffer.from('v'), collection })),
      });
    put('');
    const emptyKey = (await r.next())!;
    expect([emptyKey.type, Buffer.from(emptyKey.payload).toString()]).toEqual([
      T.ERROR,
      'invalid key. Empty string is not supported as a key by couchdb',
    ]);
    put('k', 'nope');
    const badColl = (await r.next())!;
    expect(Buffer.from(badColl.payload).toString()).toBe('collection mychannel/rawcc/nope could not be found');
    put('k');
    expect((await r.next())!.type).toBe(T.RESPONSE);
    r.send({ type: T.ERROR, txid: tx.txid, channelId: tx.channelId, payload: Buffer.from('gave up') });
    expect(await invoked).toMatchObject({ outcome: 'ERROR', status: 500, message: 'gave up', committed: false });
    expect(peer.ledger.get('rawcc', 'k')).toBeUndefined();
  });

  test('a WRITE_BATCH_STATE over the advertised maximum gets ERROR and applies none of it', async () => {
    const small = await MockPeer.start({ capabilities: { maxSizeWriteBatch: 2 } });
    try {
      const r = raw(small);
      await r.register('rawcc:1.0');
      const cc = await small.waitForChaincode('rawcc');
      const invoked = cc.invoke(['go']);
      const tx = (await r.next())!;
      const batch = (keys: string[]) =>
        r.send({
          type: T.WRITE_BATCH_STATE,
          txid: tx.txid,
          channelId: tx.channelId,
          payload: toBinary(
            WriteBatchStateSchema,
            create(WriteBatchStateSchema, { rec: keys.map((key) => ({ key, value: Buffer.from(key), type: WriteRecord_Type.PUT_STATE })) }),
          ),
        });
      batch(['a', 'b', 'c']);
      const refused = (await r.next())!;
      expect([refused.type, Buffer.from(refused.payload).toString()]).toEqual([
        T.ERROR,
        'write batch of 3 records exceeds the maximum of 2',
      ]);
      batch(['a', 'b']);
      expect((await r.next())!.type).toBe(T.RESPONSE);
      const response = new fabricProtos.peer.Response();
      response.setStatus(200);
      r.send({ type: T.COMPLETED, txid: tx.txid, channelId: tx.channelId, payload: response.serializeBinary() });
      expect(await invoked).toMatchObject({ committed: true });
      expect(small.ledger.keys('rawcc')).toEqual(['a', 'b']);
    } finally {
      await small.stop();
    }
  });

  test('INIT carries is_init, the proposal and the channel', async () => {
    const r = raw(peer);
    await r.register('rawcc:1.0');
    const cc = await peer.waitForChaincode('rawcc');
    const done = cc.init(['a']);
    const init = (await r.next())!;
    expect(init.type).toBe(T.INIT);
    expect(init.channelId).toBe('mychannel');
    expect(init.proposal?.proposalBytes.length).toBeGreaterThan(0);
    const input = fabricProtos.peer.ChaincodeInput.deserializeBinary(init.payload);
    expect(input.getIsInit()).toBe(true);
    expect(Buffer.from(input.getArgsList_asU8()[0]).toString()).toBe('a');
    const response = new fabricProtos.peer.Response();
    response.setStatus(200);
    r.send({ type: T.COMPLETED, txid: init.txid, channelId: init.channelId, payload: response.serializeBinary() });
    expect(await done).toMatchObject({ status: 200, committed: true, txId: init.txid });
  });
});

test('a proposal the mock peer builds parses with the official fabric-protos decoders', async () => {
  const identity = await new IdentityFactory().identity('Org2MSP', { attributes: { role: 'auditor' } });
  const built = await buildSignedProposal(identity, {
    channelId: 'ch7',
    chaincodeName: 'assets',
    args: [Buffer.from('Create'), Buffer.from('a1')],
    transient: { price: Buffer.from('10') },
    timestamp: new Date(1_700_000_000_123),
  });
  const { peer, common, msp } = fabricProtos;
  const signed = peer.SignedProposal.deserializeBinary(toBinary(SignedProposalSchema, built.signedProposal));
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const extension = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8());
  const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8());

  expect(channelHeader.getType()).toBe(common.HeaderType.ENDORSER_TRANSACTION);
  expect(channelHeader.getChannelId()).toBe('ch7');
  expect(channelHeader.getTxId()).toBe(built.txId);
  expect(channelHeader.getEpoch()).toBe(0);
  expect(channelHeader.getTimestamp().getSeconds()).toBe(1_700_000_000);
  expect(channelHeader.getTimestamp().getNanos()).toBe(123_000_000);
  expect(extension.getChaincodeId().getName()).toBe('assets');
  expect(creator.getMspid()).toBe('Org2MSP');
  expect(Buffer.from(creator.getIdBytes_asU8()).toString()).toBe(identity.certificatePem);
  expect(signatureHeader.getNonce_asU8()).toHaveLength(24);
  const expectedTxId = createHash('sha256').update(signatureHeader.getNonce_asU8()).update(signatureHeader.getCreator_asU8()).digest('hex');
  expect(built.txId).toBe(expectedTxId);
  expect(computeTxId(signatureHeader.getNonce_asU8(), signatureHeader.getCreator_asU8())).toBe(expectedTxId);
  expect(spec.getChaincodeSpec().getChaincodeId().getName()).toBe('assets');
  expect(
    spec
      .getChaincodeSpec()
      .getInput()
      .getArgsList_asU8()
      .map((a: Uint8Array) => Buffer.from(a).toString()),
  ).toEqual(['Create', 'a1']);
  expect(Buffer.from(payload.getTransientmapMap().get('price')).toString()).toBe('10');
  const key = createPublicKey(identity.certificatePem);
  expect(verify('sha256', signed.getProposalBytes_asU8(), key, signed.getSignature_asU8())).toBe(true);
});

test('chaincode-as-a-service: peer.connect() drives a chaincode server', async () => {
  const peer = await MockPeer.start();
  const ccServer = server(
    {
      Init: () => success(),
      Invoke: async (stub) => {
        const s = stub as unknown as { getFunctionAndParameters(): { params: string[] }; putState(k: string, v: Buffer): Promise<void> };
        const [key, value] = s.getFunctionAndParameters().params;
        if (!key || !value) return error('need key and value');
        await s.putState(key, Buffer.from(value));
        return success(Buffer.from('stored'));
      },
    },
    { ccid: 'svc_1.0:0123abcd', address: '127.0.0.1:0', mspId: 'Org1MSP' },
  );
  await ccServer.start();
  try {
    const cc = await peer.connect(ccServer.address, { name: 'svc' });
    expect(cc.chaincodeId).toBe('svc_1.0:0123abcd');
    const res = await cc.invoke(['put', 'k', 'v']);
    expect(res.payload.toString()).toBe('stored');
    expect(peer.ledger.getString('svc', 'k')).toBe('v');
  } finally {
    await peer.stop();
    await ccServer.stop(0);
  }
});
