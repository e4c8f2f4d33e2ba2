// The mock peer's Fabric Gateway driven by the official @hyperledger/fabric-gateway client over
// gRPC on loopback: evaluate, submit, submitAsync + commit status, an MVCC conflict, endorsement
// errors with details, and bad input that fails with a clear status while the peer keeps serving.
import * as grpc from '@grpc/grpc-js';
import {
  checkpointers,
  connect,
  EndorseError,
  GatewayError,
  StatusCode,
  type ChaincodeEvent,
  type Contract,
  type Gateway,
} from '@hyperledger/fabric-gateway';
import { create, toBinary } from '@bufbuild/protobuf';
import { Shim, type ChaincodeInterface, type ChaincodeStub } from '../src';
import { EvaluateRequestSchema, SubmitRequestSchema } from '../src/gen/gateway/gateway_pb';
import { IdentityFactory, MockPeer, TxValidationCode, gatewayCredentials } from '../src/testing';
import { startGatewayClient, type GatewayClient } from './support/gateway-client';

/** A small key/value chaincode on the plain shim API. */
class Basic implements ChaincodeInterface {
  async Init() {
    return Shim.success();
  }
  async Invoke(stub: ChaincodeStub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    const [key = '', value = ''] = params;
    switch (fcn) {
      case 'get':
        return Shim.success(await stub.getState(key));
      case 'put':
        await stub.putState(key, Buffer.from(value));
        stub.setEvent('Put', Buffer.from(key));
        return Shim.success(Buffer.from(`put ${key}`));
      case 'incr': {
        const next = Number((await stub.getState(key)).toString() || '0') + 1;
        await stub.putState(key, Buffer.from(String(next)));
        return Shim.success(Buffer.from(String(next)));
      }
      case 'scan': {
        // Counts the keys in [key, value) and records the count under `count:<key>`.
        const found: string[] = [];
        for await (const kv of stub.getStateByRange(key, value)) found.push(kv.key);
        await stub.putState(`count:${key}`, Buffer.from(String(found.length)));
        return Shim.success(Buffer.from(found.join(',')));
      }
      case 'fail':
        return Shim.error(key);
      case 'throw':
        throw new Error(key);
      default:
        return Shim.error(`unknown function ${fcn}`);
    }
  }
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** Calls a gateway method with raw request bytes, as a client that bypasses the SDK would. */
function rawCall(client: grpc.Client, method: string, request: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      `/gateway.Gateway/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(request),
      (err, value) => {
        if (err) reject(err);
        else resolve(value as Buffer);
      },
    );
  });
}

describe('MockPeer gateway with @hyperledger/fabric-gateway', () => {
  let session: GatewayClient;
  let peer: MockPeer;
  let client: grpc.Client;
  let gateway: Gateway;
  let contract: Contract;

  beforeAll(async () => {
    session = await startGatewayClient('basic', new Basic());
    ({ peer, client, gateway, contract } = session);
  });

  afterAll(() => session.stop());

  it('evaluates: returns the chaincode result and commits nothing', async () => {
    peer.ledger.put('basic', 'seeded', 'hello');
    const height = peer.ledger.blockHeight();
    expect(text(await contract.evaluateTransaction('get', 'seeded'))).toBe('hello');
    expect(text(await contract.evaluateTransaction('put', 'evaluated', 'x'))).toBe('put evaluated');
    expect(peer.ledger.get('basic', 'evaluated')).toBeUndefined();
    expect(peer.ledger.blockHeight()).toBe(height);
  });

  it('submits: endorses, orders, validates and commits', async () => {
    expect(text(await contract.submitTransaction('put', 'a1', 'blue'))).toBe('put a1');
    expect(peer.ledger.getString('basic', 'a1')).toBe('blue');
  });

  it('submitAsync returns the result and transaction id at once; commit status gives code and block', async () => {
    const commit = await contract.submitAsync('put', { arguments: ['a2', 'red'] });
    expect(text(commit.getResult())).toBe('put a2');
    const txId = commit.getTransactionId();
    expect(txId).toMatch(/^[0-9a-f]{64}$/);
    const status = await commit.getStatus();
    expect(status.code).toBe(StatusCode.VALID);
    expect(status.successful).toBe(true);
    expect(status.transactionId).toBe(txId);
    const committed = peer.blocks.status('mychannel', txId);
    expect(committed?.code).toBe(TxValidationCode.VALID);
    expect(status.blockNumber).toBe(BigInt(committed?.blockNumber ?? -1));
    expect(peer.ledger.getString('basic', 'a2')).toBe('red');
    expect(peer.ledger.getVersion('basic', 'a2')).toEqual({ blockNum: committed?.blockNumber, txNum: committed?.txNum });
  });

  it('two concurrent updates of one key: the second to commit is an MVCC_READ_CONFLICT and changes nothing', async () => {
    peer.ledger.put('basic', 'counter', '0');
    // Both endorse against the same committed version before either is submitted.
    const first = await contract.newProposal('incr', { arguments: ['counter'] }).endorse();
    const second = await contract.newProposal('incr', { arguments: ['counter'] }).endorse();
    expect(text(first.getResult())).toBe('1');
    expect(text(second.getResult())).toBe('1');
    const [s1, s2] = await Promise.all([(await first.submit()).getStatus(), (await second.submit()).getStatus()]);
    expect(s1.code).toBe(StatusCode.VALID);
    expect(s2.code).toBe(StatusCode.MVCC_READ_CONFLICT);
    expect(s2.successful).toBe(false);
    expect(peer.ledger.getString('basic', 'counter')).toBe('1');
    // A fresh proposal reads the new version and commits.
    expect(text(await contract.submitTransaction('incr', 'counter'))).toBe('2');
  });

  it('invoke and the gateway share one pipeline: an invoke between endorse and submit conflicts', async () => {
    const cc = peer.chaincode('basic');
    const invoked = await cc?.invoke(['put', 'shared', 'one']);
    expect([invoked?.committed, invoked?.validationCode]).toEqual([true, 'VALID']);
    expect(peer.blocks.status('mychannel', invoked?.txId ?? '')?.blockNumber).toBe(invoked?.blockNumber);
    expect(text(await contract.evaluateTransaction('get', 'shared'))).toBe('one');
    const endorsed = await contract.newProposal('incr', { arguments: ['shared-n'] }).endorse();
    await cc?.invoke(['put', 'shared-n', '41']); // commits between the endorsement and the submit
    expect((await (await endorsed.submit()).getStatus()).code).toBe(StatusCode.MVCC_READ_CONFLICT);
    expect(peer.ledger.getString('basic', 'shared-n')).toBe('41');
  });

  it('a range scan whose range gained a key before commit is a PHANTOM_READ_CONFLICT', async () => {
    peer.ledger.put('basic', 'r1', 'x');
    const scan = await contract.newProposal('scan', { arguments: ['r0', 'r9'] }).endorse();
    expect(text(scan.getResult())).toBe('r1');
    await contract.submitTransaction('put', 'r2', 'y'); // a new key inside the scanned range
    const status = await (await scan.submit()).getStatus();
    expect(status.code).toBe(StatusCode.PHANTOM_READ_CONFLICT);
    expect(peer.ledger.get('basic', 'count:r0')).toBeUndefined();
    expect(text(await contract.submitTransaction('scan', 'r0', 'r9'))).toBe('r1,r2');
    expect(peer.ledger.getString('basic', 'count:r0')).toBe('2');
  });

  it('replaying a transaction already committed is a DUPLICATE_TXID and changes nothing', async () => {
    const transaction = await contract.newProposal('incr', { arguments: ['dup'] }).endorse();
    expect((await (await transaction.submit()).getStatus()).code).toBe(StatusCode.VALID);
    // The same signed envelope again: ordered, then refused by the committer; the first status stands.
    await transaction.submit();
    expect(peer.blocks.status('mychannel', transaction.getTransactionId())?.code).toBe(TxValidationCode.VALID);
    const replay = await (async () => {
      for (;;) {
        const blocks = peer.blocks.blocks('mychannel');
        const found = blocks.flatMap((b) => b.transactions).filter((t) => t.txId === transaction.getTransactionId());
        if (found.length === 2) return found[1];
        await peer.blocks.nextBlock('mychannel');
      }
    })();
    expect(replay?.code).toBe(TxValidationCode.DUPLICATE_TXID);
    expect(peer.ledger.getString('basic', 'dup')).toBe('1');
  });

  it('streams chaincode events from a start block, live, and after a checkpoint', async () => {
    const network = gateway.getNetwork('mychannel');
    const first = await contract.submitAsync('put', { arguments: ['ev1', '1'] });
    const firstStatus = await first.getStatus();
    const events = await network.getChaincodeEvents('basic', { startBlock: firstStatus.blockNumber });
    const iterator = events[Symbol.asyncIterator]();
    const next = async (): Promise<ChaincodeEvent> => (await iterator.next()).value as ChaincodeEvent;
    const e1 = await next();
    expect([e1.eventName, text(e1.payload), e1.transactionId, e1.blockNumber, e1.chaincodeName]).toEqual([
      'Put',
      'ev1',
      first.getTransactionId(),
      firstStatus.blockNumber,
      'basic',
    ]);
    const second = await contract.submitAsync('put', { arguments: ['ev2', '2'] }); // committed while the stream is open
    const e2 = await next();
    expect([text(e2.payload), e2.transactionId]).toEqual(['ev2', second.getTransactionId()]);
    events.close();

    // Resume after ev1: the checkpoint names its block and transaction, so ev2 comes first.
    const checkpointer = checkpointers.inMemory();
    await checkpointer.checkpointChaincodeEvent(e1);
    const resumed = await network.getChaincodeEvents('basic', { checkpoint: checkpointer });
    const r1 = (await resumed[Symbol.asyncIterator]().next()).value as ChaincodeEvent;
    expect(r1.transactionId).toBe(second.getTransactionId());
    resumed.close();
  });

  it('a client that leaves an event stream mid-way is let go; the peer keeps serving and streaming', async () => {
    const network = gateway.getNetwork('mychannel');
    const height = peer.ledger.blockHeight();
    const abandoned = await network.getChaincodeEvents('basic', { startBlock: BigInt(height) });
    const pending = abandoned[Symbol.asyncIterator]().next();
    abandoned.close(); // cancels the call while the peer waits for the next block
    await pending.catch(() => undefined);
    const after = await contract.submitAsync('put', { arguments: ['after-leave', '1'] });
    expect((await after.getStatus()).code).toBe(StatusCode.VALID);
    const events = await network.getChaincodeEvents('basic', { startBlock: (await after.getStatus()).blockNumber });
    const event = (await events[Symbol.asyncIterator]().next()).value as ChaincodeEvent;
    expect(event.transactionId).toBe(after.getTransactionId());
    events.close();
  });

  it('an error response fails endorsement with the chaincode status and message in the details', async () => {
    const error = await contract.submitTransaction('fail', 'no such asset').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndorseError);
    const endorse = error as EndorseError;
    expect(endorse.code).toBe(grpc.status.ABORTED);
    expect(endorse.message).toContain('failed to endorse transaction, see attached details for more info');
    expect(endorse.transactionId).toMatch(/^[0-9a-f]{64}$/);
    expect(endorse.details).toEqual([{ address: peer.address, mspId: 'Org1MSP', message: 'chaincode response 500, no such asset' }]);
    expect(peer.blocks.status('mychannel', endorse.transactionId)).toBeUndefined();
  });

  it('an error response fails evaluation with UNKNOWN and the chaincode message', async () => {
    const error = await contract.evaluateTransaction('fail', 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(grpc.status.UNKNOWN);
    expect((error as GatewayError).message).toContain('evaluate call to endorser returned error: chaincode response 500, nope');
    expect((error as GatewayError).details.map((d) => d.message)).toEqual(['chaincode response 500, nope']);
  });

  it('a chaincode that throws fails endorsement with the simulation error in the details', async () => {
    const error = (await contract.submitTransaction('throw', 'kaboom').catch((e: unknown) => e)) as EndorseError;
    expect(error).toBeInstanceOf(EndorseError);
    expect(error.details[0]?.message).toMatch(/^error in simulation: transaction returned with failure: .*kaboom/);
  });

  it('an unknown chaincode or channel is FAILED_PRECONDITION naming it', async () => {
    const unknownCc = (await gateway
      .getNetwork('mychannel')
      .getContract('nope')
      .evaluateTransaction('get', 'x')
      .catch((e: unknown) => e)) as GatewayError;
    expect(unknownCc.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(unknownCc.message).toContain('no peers available to evaluate chaincode nope in channel mychannel');
    const unknownChannel = (await gateway
      .getNetwork('elsewhere')
      .getContract('basic')
      .submitTransaction('put', 'k', 'v')
      .catch((e: unknown) => e)) as GatewayError;
    expect(unknownChannel.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(unknownChannel.message).toContain('has not joined channel elsewhere');
  });

  it('an identity of an MSP the peer does not know is denied', async () => {
    const stranger = await new IdentityFactory().identity('StrangerMSP');
    const other = connect({ client, ...gatewayCredentials(stranger) });
    const error = (await other
      .getNetwork('mychannel')
      .getContract('basic')
      .evaluateTransaction('get', 'a1')
      .catch((e: unknown) => e)) as GatewayError;
    expect(error.code).toBe(grpc.status.ABORTED);
    expect(error.details[0]?.message).toContain('MSP StrangerMSP');
    other.close();
  });

  it('bad input gets a clear gRPC error, nothing is committed, and the peer keeps serving', async () => {
    const height = peer.ledger.blockHeight();
    const expectStatus = async (call: Promise<unknown>, code: grpc.status, message: string) => {
      const error = (await call.then(
        () => undefined,
        (e: unknown) => e,
      )) as grpc.ServiceError | undefined;
      expect(error?.code).toBe(code);
      expect(error?.details).toContain(message);
    };
    await expectStatus(
      rawCall(client, 'Evaluate', Buffer.from([0xff, 0xff, 0xff])),
      grpc.status.INVALID_ARGUMENT,
      'invalid evaluate request',
    );
    await expectStatus(
      rawCall(client, 'Evaluate', toBinary(EvaluateRequestSchema, create(EvaluateRequestSchema, { channelId: 'mychannel' }))),
      grpc.status.INVALID_ARGUMENT,
      'failed to unpack transaction proposal: a signed proposal is required',
    );
    await expectStatus(
      rawCall(client, 'Submit', toBinary(SubmitRequestSchema, create(SubmitRequestSchema, { channelId: 'mychannel' }))),
      grpc.status.INVALID_ARGUMENT,
      'a prepared transaction is required',
    );

    // A real endorsed transaction, submitted unsigned, with a garbage payload, and with a wrong signature.
    // Offline signing: no signer in the gateway; with `hash` the identity, digests are the messages themselves.
    const { identity, signer, hash } = await peer.gatewayCredentials();
    const unsignedGateway = connect({ client, identity, hash });
    const unsignedContract = unsignedGateway.getNetwork('mychannel').getContract('basic');
    const proposal = unsignedContract.newProposal('put', { arguments: ['tampered', 'x'] });
    const signedProposal = unsignedGateway.newSignedProposal(proposal.getBytes(), await signer(proposal.getDigest()));
    const transaction = await signedProposal.endorse();
    const txId = transaction.getTransactionId();
    const envelopeRequest = (signature: Uint8Array, payload?: Uint8Array) => {
      const request = create(SubmitRequestSchema, {
        transactionId: txId,
        channelId: 'mychannel',
        preparedTransaction: { payload: payload ?? transaction.getDigest(), signature },
      });
      return toBinary(SubmitRequestSchema, request);
    };
    await expectStatus(
      rawCall(client, 'Submit', envelopeRequest(new Uint8Array(0))),
      grpc.status.INVALID_ARGUMENT,
      'prepared transaction must be signed',
    );
    // A submit naming a transaction id the envelope does not carry (one this peer never endorsed).
    const unknownTxId = toBinary(
      SubmitRequestSchema,
      create(SubmitRequestSchema, {
        transactionId: 'f'.repeat(64),
        channelId: 'mychannel',
        preparedTransaction: { payload: transaction.getDigest(), signature: await signer(transaction.getDigest()) },
      }),
    );
    await expectStatus(rawCall(client, 'Submit', unknownTxId), grpc.status.INVALID_ARGUMENT, `not ${'f'.repeat(64)} on mychannel`);
    await expectStatus(
      rawCall(client, 'Submit', envelopeRequest(new Uint8Array([1]), Buffer.from('not a payload'))),
      grpc.status.INVALID_ARGUMENT,
      'malformed prepared transaction',
    );
    const forged = unsignedGateway.newSignedTransaction(transaction.getBytes(), await signer(Buffer.from('something else')));
    const forgedError = (await forged.submit().catch((e: unknown) => e)) as GatewayError;
    expect(forgedError.code).toBe(grpc.status.ABORTED);
    expect(forgedError.message).toContain('status=FORBIDDEN');
    unsignedGateway.close();

    expect(peer.ledger.get('basic', 'tampered')).toBeUndefined();
    expect(peer.blocks.status('mychannel', txId)).toBeUndefined();
    expect(peer.ledger.blockHeight()).toBe(height);
    // Still serving.
    expect(text(await contract.submitTransaction('put', 'after', 'ok'))).toBe('put after');
    expect(peer.ledger.getString('basic', 'after')).toBe('ok');
  });
});
