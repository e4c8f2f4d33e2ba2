import { create, toBinary } from '@bufbuild/protobuf';
import { createHash } from 'node:crypto';
import { ChannelHeaderSchema, HeaderSchema, HeaderType, SignatureHeaderSchema } from '../src/gen/common/common_pb';
import { SerializedIdentitySchema } from '../src/gen/msp/identities_pb';
import { ChaincodeInputSchema } from '../src/gen/peer/chaincode_pb';
import { ChaincodeMessageSchema, ChaincodeMessage_Type } from '../src/gen/peer/chaincode_shim_pb';
import { ChaincodeProposalPayloadSchema, ProposalSchema, SignedProposalSchema, type SignedProposal } from '../src/gen/peer/proposal_pb';
import { ShimError } from '../src/errors';
import { ProposalView, computeProposalBinding } from '../src/proposal';
import { Long } from '../src/long';
import { createStub } from '../src/stub';
import { FakeTalkBack } from './support/fake-talk-back';

/* eslint-disable @typescript-eslint/no-require-imports */
const protos = require('@hyperledger/fabric-protos');
const FabricStub = require('fabric-shim/lib/stub.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const CERT = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB...fake...\n-----END CERTIFICATE-----\n');

interface Inputs {
  mspid: string;
  nonce: Uint8Array;
  epoch: bigint;
  seconds: bigint;
  nanos: number;
  transient: Record<string, Uint8Array>;
}

const DEFAULTS: Inputs = {
  mspid: 'Org1MSP',
  nonce: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  epoch: 0n, // what clients send; see the epoch test below for why fabric-shim needs 0 here
  seconds: 1_700_000_123n,
  nanos: 456_789_000,
  transient: { secret: Buffer.from('s3cr3t'), other: Uint8Array.from([0, 255]) },
};

function buildSignedProposal(over: Partial<Inputs> = {}): SignedProposal {
  const i = { ...DEFAULTS, ...over };
  const creator = toBinary(SerializedIdentitySchema, create(SerializedIdentitySchema, { mspid: i.mspid, idBytes: CERT }));
  const channelHeader = toBinary(
    ChannelHeaderSchema,
    create(ChannelHeaderSchema, {
      type: HeaderType.ENDORSER_TRANSACTION,
      channelId: 'mychannel',
      txId: 'tx1',
      epoch: i.epoch,
      timestamp: { seconds: i.seconds, nanos: i.nanos },
    }),
  );
  const signatureHeader = toBinary(SignatureHeaderSchema, create(SignatureHeaderSchema, { creator, nonce: i.nonce }));
  const header = toBinary(HeaderSchema, create(HeaderSchema, { channelHeader, signatureHeader }));
  const payload = toBinary(
    ChaincodeProposalPayloadSchema,
    create(ChaincodeProposalPayloadSchema, { input: Uint8Array.from([9]), TransientMap: i.transient }),
  );
  const proposalBytes = toBinary(ProposalSchema, create(ProposalSchema, { header, payload }));
  return create(SignedProposalSchema, { proposalBytes, signature: Uint8Array.from([0xde, 0xad]) });
}

/** fabric-shim's stub built from the same bytes, for side-by-side comparison. */
function officialStub(sp: SignedProposal) {
  const input = protos.peer.ChaincodeInput.deserializeBinary(
    toBinary(ChaincodeInputSchema, create(ChaincodeInputSchema, { args: [Buffer.from('fn')] })),
  );
  const spPb = protos.peer.SignedProposal.deserializeBinary(toBinary(SignedProposalSchema, sp));
  return new FabricStub({}, 'mychannel', 'tx1', input, spPb);
}

function transaction(sp: SignedProposal | undefined) {
  const message = create(ChaincodeMessageSchema, {
    type: ChaincodeMessage_Type.TRANSACTION,
    txid: 'tx1',
    channelId: 'mychannel',
    payload: toBinary(ChaincodeInputSchema, create(ChaincodeInputSchema, { args: [Buffer.from('fn')] })),
    ...(sp ? { proposal: sp } : {}),
  });
  return createStub(new FakeTalkBack(), message, { mspId: 'Org1MSP' });
}

describe('proposal decoding', () => {
  it('gives the same creator, transient map, timestamp and binding as fabric-shim', () => {
    const sp = buildSignedProposal();
    const ours = transaction(sp);
    const theirs = officialStub(sp);

    expect(ours.getBinding()).toBe(theirs.getBinding());
    expect(ours.getCreator().mspid).toBe(theirs.getCreator().mspid);
    expect(Buffer.from(ours.getCreator().idBytes)).toEqual(Buffer.from(theirs.getCreator().idBytes));
    const sorted = (m: Map<string, Uint8Array>) => [...m].sort(([a], [b]) => a.localeCompare(b));
    expect(sorted(ours.getTransient())).toEqual(sorted(theirs.getTransient()));
    expect(ours.getTransient().get('secret')?.toString()).toBe('s3cr3t');

    const ts = ours.getTxTimestamp();
    const official = theirs.getTxTimestamp();
    expect(ts.nanos).toBe(official.nanos);
    expect(ts.seconds.toNumber()).toBe(official.seconds.toNumber());
    expect([ts.seconds.low, ts.seconds.high]).toEqual([official.seconds.low, official.seconds.high]);
    expect(ours.getDateTimestamp().getTime()).toBe(theirs.getDateTimestamp().getTime());
  });

  it('matches fabric-shim for any nonce and creator (epoch 0, as clients send)', () => {
    for (const mspid of ['Org1MSP', 'AnotherMSP']) {
      for (const nonce of [new Uint8Array(0), Uint8Array.from([7]), Uint8Array.from({ length: 24 }, (_, i) => i * 11)]) {
        const sp = buildSignedProposal({ nonce, mspid });
        expect(transaction(sp).getBinding()).toBe(officialStub(sp).getBinding());
      }
    }
  });

  it("includes a non-zero epoch as Fabric's ComputeProposalBinding does (fabric-shim 2.5 drops it)", () => {
    const epoch = (1n << 40n) + 5n; // exercises the high 32 bits
    const sp = buildSignedProposal({ epoch });
    const creator = toBinary(SerializedIdentitySchema, create(SerializedIdentitySchema, { mspid: DEFAULTS.mspid, idBytes: CERT }));
    const le = Buffer.alloc(8);
    le.writeBigUInt64LE(epoch);
    const goStyle = createHash('sha256')
      .update(Buffer.concat([DEFAULTS.nonce, creator, le]))
      .digest('hex');
    expect(transaction(sp).getBinding()).toBe(goStyle);
    // fabric-shim reads epoch.low/.high of a plain number and so always hashes 8 zero bytes.
    expect(officialStub(sp).getBinding()).toBe(transaction(buildSignedProposal({ epoch: 0n })).getBinding());
  });

  it('computes the binding as sha256(nonce || creator || epoch LE)', () => {
    // Hand-computed input: nonce 0x01, creator 0x02, epoch 1 -> 01 02 01 00 00 00 00 00 00 00.
    const expected = createHash('sha256').update(Buffer.from('01020100000000000000', 'hex')).digest('hex');
    expect(computeProposalBinding(Uint8Array.from([1]), Uint8Array.from([2]), 1n)).toBe(expected);
  });

  it('exposes the decoded proposal', () => {
    const sp = buildSignedProposal();
    const decoded = transaction(sp).getSignedProposal();
    expect(Buffer.from(decoded.signature)).toEqual(Buffer.from([0xde, 0xad]));
    expect(decoded.proposal.header.channelHeader).toMatchObject({
      channelId: 'mychannel',
      txId: 'tx1',
      type: HeaderType.ENDORSER_TRANSACTION,
      epoch: Number(DEFAULTS.epoch),
    });
    expect(decoded.proposal.header.signatureHeader.creator.mspid).toBe('Org1MSP');
    expect(Buffer.from(decoded.proposal.header.signatureHeader.nonce)).toEqual(Buffer.from(DEFAULTS.nonce));
  });

  it('decodes lazily: a malformed proposal fails only when asked for, as PROTOCOL', () => {
    const bad = create(SignedProposalSchema, { proposalBytes: Uint8Array.from([0xff, 0xff, 0xff]) });
    const stub = transaction(bad); // building the stub does not decode the proposal
    expect(stub.getArgs()).toEqual(['fn']);
    expect(() => stub.getCreator()).toThrow(ShimError);
    try {
      stub.getBinding();
    } catch (err) {
      expect((err as ShimError).code).toBe('PROTOCOL');
      expect((err as ShimError).message).toMatch(/^Failed extracting proposal from signedProposal/);
    }
    expect.assertions(4);
  });

  it("reports an empty header with fabric-shim's message", () => {
    const noHeader = create(SignedProposalSchema, {
      proposalBytes: toBinary(ProposalSchema, create(ProposalSchema, { payload: Uint8Array.from([1]) })),
    });
    expect(() => new ProposalView(noHeader).creator()).toThrow('Proposal header is empty');
  });

  it('without a proposal: empty transient map, creator refused', () => {
    const stub = transaction(undefined);
    expect(stub.getTransient().size).toBe(0);
    expect(() => stub.getCreator()).toThrow('The transaction carries no signed proposal');
  });

  it('Long.fromBigInt splits 64-bit values like long.js', () => {
    const v = Long.fromBigInt((1n << 63n) + 3n, true);
    expect([v.low, v.high, v.unsigned]).toEqual([3, -2147483648, true]);
    expect(v.toString()).toBe('9223372036854775811');
    expect(v.toBigInt()).toBe((1n << 63n) + 3n);
  });
});
