/**
 * ChaincodeStub over the wire, part 1: invocation and proposal accessors, world state, key-level
 * endorsement, chaincode-to-chaincode calls, events and ClientIdentity, each run by a chaincode
 * launched in-process on the mock peer (real gRPC on 127.0.0.1) and checked against what the
 * peer committed. Queries, private data and batching are in the other stub-wire files.
 */
import { createHash } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { ChaincodeInputSchema } from '../src/gen/peer/chaincode_pb';
import { ClientIdentity } from '../src/client-identity';
import { KeyEndorsementPolicy } from '../src/endorsement-policy';
import type { ChaincodeInterface } from '../src/chaincode';
import { error, success } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { buildSignedProposal } from '../src/testing/proposals';
import { TxSimulation } from '../src/testing/simulation';
import { Probe, count } from './support/stub-wire-probe';
import type { DecodedSignedProposal, InvokeResponse, SerializedIdentity, SplitCompositeKey, StateValue, Timestamp } from '../src/index';

let peer: MockPeer;
let cc: MockChaincode;
const probe = new Probe();

/** A second chaincode for invokeChaincode: put / get / fail / where (its channel). */
const callee: ChaincodeInterface = {
  Init: () => success(),
  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    if (fcn === 'put') {
      await stub.putState(params[0]!, Buffer.from(params[1]!));
      return success(Buffer.from(`stored ${params[0]}`));
    }
    if (fcn === 'where') return success(Buffer.from(`${stub.getChannelID()} ${stub.getTxID()}`));
    return error(`callee refuses ${fcn}`);
  },
};

beforeAll(async () => {
  peer = await MockPeer.start({ txTimeoutMs: 10_000 });
  cc = await peer.launch('probe', probe, { mspId: 'PeerOrgMSP' });
  await peer.launch('callee', callee);
});

afterAll(async () => {
  await peer.stop();
});

describe('invocation', () => {
  it('hands the arguments over as strings, Buffers and fcn/params', async () => {
    const binary = Uint8Array.from([0xff, 0x00, 0x41]);
    const { value } = await probe.run(
      cc,
      (stub) => ({
        args: stub.getArgs(),
        strings: stub.getStringArgs(),
        buffers: stub.getBufferArgs(),
        fp: stub.getFunctionAndParameters(),
      }),
      ['transfer', 'a1', 'Bob', binary],
    );
    expect(value.args).toEqual(['transfer', 'a1', 'Bob', Buffer.from(binary).toString('utf8')]);
    expect(value.strings).toEqual(value.args);
    expect(value.buffers.every((b) => Buffer.isBuffer(b))).toBe(true);
    expect(value.buffers[3]).toEqual(Buffer.from(binary));
    expect(value.fp).toEqual({ fcn: 'transfer', params: ['a1', 'Bob', value.args[3]] });
  });

  it('gives an empty fcn without arguments', async () => {
    const { value } = await probe.run(cc, (stub) => stub.getFunctionAndParameters(), []);
    expect(value).toEqual({ fcn: '', params: [] });
  });

  it('reports the transaction id, channel and the peer-side MSP id', async () => {
    const { value, result } = await probe.run(cc, (stub) => [stub.getTxID(), stub.getChannelID(), stub.getMspID()]);
    expect(value).toEqual([result.txId, 'mychannel', 'PeerOrgMSP']);
    const other = await probe.run(cc, (stub) => stub.getChannelID(), ['x'], { channel: 'otherchannel' });
    expect(other.value).toBe('otherchannel');
  });

  it('returns the decorations of the ChaincodeInput', async () => {
    const signer = await peer.identity().resolve();
    const built = await buildSignedProposal(signer, { channelId: 'mychannel', chaincodeName: 'probe', args: [Buffer.from('d')] });
    let seen: Map<string, Buffer> | undefined;
    const body = (stub: ChaincodeStub): void => void (seen = stub.getDecorations());
    (probe as unknown as { body: unknown }).body = body;
    const simulation = new TxSimulation(peer.ledger, 'mychannel', built.txId);
    // The mock peer's invoke() sets no decorations, so this drives its session directly.
    const res = await cc.session.execute({
      type: 'TRANSACTION',
      channelId: 'mychannel',
      txId: built.txId,
      signedProposal: built.signedProposal,
      input: create(ChaincodeInputSchema, { args: [Buffer.from('d')], decorations: { d1: Buffer.from('one'), d2: Uint8Array.from([2]) } }),
      simulation,
      timeoutMs: 10_000,
    });
    simulation.discard();
    (probe as unknown as { body: unknown }).body = undefined;
    expect(res.outcome).toBe('COMPLETED');
    expect(seen).toEqual(
      new Map([
        ['d1', Buffer.from('one')],
        ['d2', Buffer.from([2])],
      ]),
    );
    expect(Buffer.isBuffer(seen?.get('d1'))).toBe(true);
  });
});

describe('proposal', () => {
  it('decodes creator, transient map, timestamps, signed proposal and binding', async () => {
    const handle = peer.identity('Org2MSP', { role: 'auditor' });
    const identity = await handle.resolve();
    const when = new Date('2024-05-06T07:08:09.123Z');
    const { value, result } = await probe.run(
      cc,
      (stub) => ({
        creator: stub.getCreator(),
        transient: stub.getTransient(),
        ts: stub.getTxTimestamp(),
        date: stub.getDateTimestamp(),
        signed: stub.getSignedProposal(),
        binding: stub.getBinding(),
      }),
      ['p'],
      { identity: handle, timestamp: when, transient: { price: '10', blob: Uint8Array.from([1, 2]) } },
    );
    // The stub's return types are public names of the package (typechecked by tsc --noEmit).
    const typed: { creator: SerializedIdentity; ts: Timestamp; signed: DecodedSignedProposal } = value;
    expect(typed.creator.mspid).toBe('Org2MSP');
    expect(Buffer.from(value.creator.idBytes).toString('utf8')).toBe(identity.certificatePem);
    expect(value.transient).toEqual(
      new Map([
        ['price', Buffer.from('10')],
        ['blob', Buffer.from([1, 2])],
      ]),
    );
    expect(value.ts.seconds.toNumber()).toBe(Math.floor(when.getTime() / 1000));
    expect(value.ts.nanos).toBe(123_000_000);
    expect(value.date).toEqual(when);
    const { channelHeader, signatureHeader } = value.signed.proposal.header;
    expect(channelHeader).toMatchObject({ txId: result.txId, channelId: 'mychannel', type: 3 });
    expect(signatureHeader.creator.mspid).toBe('Org2MSP');
    expect(value.signed.signature.length).toBeGreaterThan(0);
    expect(value.signed.proposal.payload.transientMap.get('price')).toEqual(Buffer.from('10'));
    // Fabric's binding: sha256(nonce || serialized creator || epoch as 8 bytes little-endian), epoch 0.
    const expected = createHash('sha256').update(signatureHeader.nonce).update(identity.serialize()).update(Buffer.alloc(8)).digest('hex');
    expect(value.binding).toBe(expected);
    // The txid is sha256(nonce || creator) too: the nonce must be the one the client signed.
    expect(createHash('sha256').update(signatureHeader.nonce).update(identity.serialize()).digest('hex')).toBe(result.txId);
  });
});

describe('world state', () => {
  it('reads committed values, writes strings and bytes, deletes, and never reads its own writes', async () => {
    peer.ledger.put('probe', 'seeded', 'from-seed');
    peer.ledger.put('probe', 'doomed', 'x');
    const { value, result, sent } = await probe.run(cc, async (stub) => {
      const before = await stub.getState('seeded');
      await stub.putState('seeded', 'changed');
      await stub.putState('bin', Uint8Array.from([0, 1, 2]));
      await stub.deleteState('doomed');
      return { before, after: await stub.getState('seeded'), missing: await stub.getState('nothing-here') };
    });
    expect(result.committed).toBe(true);
    expect(value.before).toEqual(Buffer.from('from-seed'));
    expect(value.after).toEqual(Buffer.from('from-seed'));
    expect(Buffer.isBuffer(value.missing) && value.missing.length).toBe(0);
    expect(peer.ledger.getString('probe', 'seeded')).toBe('changed');
    expect(peer.ledger.get('probe', 'bin')).toEqual(Buffer.from([0, 1, 2]));
    expect(peer.ledger.get('probe', 'doomed')).toBeUndefined();
    expect(sent).toEqual(['GET_STATE', 'PUT_STATE', 'PUT_STATE', 'DEL_STATE', 'GET_STATE', 'GET_STATE', 'COMPLETED']);
  });

  it('refuses only what fabric-shim refuses; empty keys go to the peer, which refuses writing them (issue 12, defect 6)', async () => {
    const { value, sent } = await probe.run(cc, async (stub) => {
      const codes: string[] = [];
      for (const attempt of [
        () => stub.getState(''),
        () => stub.putState('k', 5 as unknown as string),
        () => stub.deleteState(''),
        () => stub.setStateValidationParameter('k', 5 as unknown as Uint8Array),
        () => stub.getHistoryForKey('').then((it) => it.close()),
      ]) {
        await attempt().then(
          () => codes.push('resolved'),
          (e: { code: string; message: string }) => codes.push(`${e.code}: ${e.message}`),
        );
      }
      return codes;
    });
    expect(value).toEqual([
      'resolved',
      'INVALID_ARGUMENT: Failure: Cannot coerce to Uint8Array: number',
      'PEER_ERROR: invalid key. Empty string is not supported as a key by couchdb',
      'INVALID_ARGUMENT: Failure: Cannot coerce to Uint8Array: number',
      'resolved',
    ]);
    expect(sent).toEqual(['GET_STATE', 'DEL_STATE', 'GET_HISTORY_FOR_KEY', 'QUERY_STATE_CLOSE', 'COMPLETED']);
  });

  it('serves concurrent calls of one transaction (Promise.all)', async () => {
    for (let i = 0; i < 20; i++) peer.ledger.put('probe', `par${i}`, `v${i}`);
    const { value } = await probe.run(cc, (stub) => Promise.all(Array.from({ length: 20 }, (_, i) => stub.getState(`par${i}`))));
    expect(value.map(String)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
  });

  it('rejects a stub used after its transaction completed with TRANSACTION_CLOSED', async () => {
    const { value: stale } = await probe.run(cc, (stub) => stub);
    await expect(stale.getState('seeded')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
    await expect(stale.getStateByRange('', '')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  });

  it('sets and reads key-level endorsement policies built with KeyEndorsementPolicy', async () => {
    peer.ledger.put('probe', 'guarded', 'v');
    await probe.run(cc, async (stub) => {
      const ep = new KeyEndorsementPolicy();
      ep.addOrgs('MEMBER', 'Org1MSP', 'Org2MSP');
      await stub.setStateValidationParameter('guarded', ep.getPolicy());
      await stub.setStateValidationParameter('no-such-key', ep.getPolicy());
    });
    const stored = peer.ledger.getMetadata('probe', 'guarded').VALIDATION_PARAMETER;
    expect(new KeyEndorsementPolicy(stored).listOrgs()).toEqual(['Org1MSP', 'Org2MSP']);
    // As the peer: a policy on a key without a value is dropped.
    expect(peer.ledger.getMetadata('probe', 'no-such-key')).toEqual({});
    const { value, result } = await probe.run(cc, async (stub) => {
      const ep = new KeyEndorsementPolicy(await stub.getStateValidationParameter('guarded'));
      ep.delOrgs('Org1MSP');
      await stub.setStateValidationParameter('guarded', ep.getPolicy());
      return { orgs: ep.listOrgs(), none: await stub.getStateValidationParameter('seeded') };
    });
    expect(value.orgs).toEqual(['Org2MSP']);
    expect(value.none).toBeUndefined(); // as fabric-shim: no policy, no value
    // As a committing peer: changing the policy needs the endorsements the current one asks for
    // (Org1 and Org2); this peer of Org1 alone cannot, so the change is not committed.
    expect(result).toMatchObject({ status: 200, committed: false, validationCode: 'ENDORSEMENT_POLICY_FAILURE' });
    expect(new KeyEndorsementPolicy(peer.ledger.getMetadata('probe', 'guarded').VALIDATION_PARAMETER).listOrgs()).toEqual([
      'Org1MSP',
      'Org2MSP',
    ]);
  });
});

describe('invokeChaincode', () => {
  it('on the same channel: the callee writes join the transaction and its response comes back', async () => {
    const { value, result, sent } = await probe.run(cc, async (stub) => {
      const r = await stub.invokeChaincode('callee', ['put', 'from-probe', 'yes']);
      const where = await stub.invokeChaincode('callee', [Buffer.from('where')]);
      return { r, where };
    });
    const typed: InvokeResponse = value.r;
    expect(typed).toMatchObject({ status: 200, payload: Buffer.from('stored from-probe') });
    const split: SplitCompositeKey = { objectType: 'o', attributes: [] };
    const asValue: StateValue = typed.payload;
    expect([split.objectType, asValue.length]).toEqual(['o', 17]);
    expect(Buffer.isBuffer(value.r.payload)).toBe(true);
    expect(value.where.payload.toString()).toBe(`mychannel ${result.txId}`);
    expect(count(sent, 'INVOKE_CHAINCODE')).toBe(2);
    expect(peer.ledger.getString('callee', 'from-probe')).toBe('yes');
  });

  it('a callee error response arrives as status 500 with an empty payload, as from a real peer', async () => {
    const { value } = await probe.run(cc, (stub) => stub.invokeChaincode('callee', ['explode']));
    expect(value).toMatchObject({ status: 500, payload: Buffer.alloc(0) });
  });

  it('on another channel: the callee runs there and its writes are not committed', async () => {
    const { value } = await probe.run(cc, async (stub) => {
      await stub.invokeChaincode('callee', ['put', 'elsewhere', 'no'], 'otherchannel');
      return stub.invokeChaincode('callee', ['where'], 'otherchannel');
    });
    expect(value.payload.toString()).toMatch(/^otherchannel /);
    expect(peer.ledger.get('callee', 'elsewhere', { channel: 'otherchannel' })).toBeUndefined();
    expect(peer.ledger.get('callee', 'elsewhere')).toBeUndefined();
  });

  it('a missing chaincode rejects with the peer error', async () => {
    const { value } = await probe.run(cc, (stub) =>
      stub.invokeChaincode('nobody', ['x']).then(
        () => 'resolved',
        (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
      ),
    );
    expect(value).toMatch(/^PEER_ERROR: .*nobody/);
  });
});

describe('events and identity', () => {
  it('sends the last event set with COMPLETED', async () => {
    const { result } = await probe.run(cc, (stub) => {
      stub.setEvent('First', Buffer.from('1'));
      stub.setEvent('Second', 'two');
    });
    expect(result.events).toEqual([{ chaincodeId: 'probe', txId: result.txId, eventName: 'Second', payload: Buffer.from('two') }]);
  });

  it('refuses an event without a name', async () => {
    await expect(probe.run(cc, (stub) => stub.setEvent('', 'x'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('ClientIdentity reads the creator certificate inside the chaincode', async () => {
    const handle = peer.identity('Org2MSP', { role: 'auditor', 'hf.EnrollmentID': 'alice' }, { commonName: 'alice' });
    const identity = await handle.resolve();
    const { value } = await probe.run(
      cc,
      (stub) => {
        const cid = new ClientIdentity(stub);
        return {
          msp: cid.getMSPID(),
          id: cid.getID(),
          role: cid.getAttributeValue('role'),
          missing: cid.getAttributeValue('nope'),
          isAuditor: cid.assertAttributeValue('role', 'auditor'),
          isAdmin: cid.assertAttributeValue('role', 'admin'),
          idBytes: Buffer.from(cid.getIDBytes()).toString('utf8'),
          subject: cid.getX509Certificate().subject,
        };
      },
      ['cid'],
      { identity: handle },
    );
    expect(value).toMatchObject({ msp: 'Org2MSP', role: 'auditor', missing: null, isAuditor: true, isAdmin: false });
    expect(value.subject).toMatch(/CN=alice/);
    expect(value.id).toMatch(/^x509::.*CN=alice.*::.*CN=/);
    expect(value.idBytes).toBe(identity.certificatePem);
  });
});
