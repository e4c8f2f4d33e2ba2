/*
 * Probe: a low-level chaincode in the style of fabric-chaincode-node's test/typescript and the
 * fabric-samples JavaScript chaincodes written in TypeScript: ChaincodeInterface, Shim, the
 * logger, responses, iterators, history, pagination, composite keys, proposals, endorsement.
 */
import * as shim from 'fabric-shim';
import {
  ChaincodeInterface,
  ChaincodeProposal,
  ChaincodeResponse,
  ChaincodeStub,
  ClientIdentity,
  ENDORSER_ROLES,
  ErrorResponse,
  Iterators,
  KeyEndorsementPolicy,
  QueryResponseMetadata,
  SerializedIdentity,
  Shim,
  SplitCompositekey,
  StateQueryResponse,
  SuccessResponse,
  Timestamp,
} from 'fabric-shim';

const logger = shim.newLogger('probe');
logger.level = 'debug';
const level: string = logger.level;
logger.info('starting', { level });
logger.debug('debug %s', 'formatted');
logger.error('failed', new Error('x'));
logger.warn({ message: 'object form' });
logger.info('chained').info('twice');

async function allResults<T>(iterator: Iterators.CommonIterator<T>): Promise<T[]> {
  const out: T[] = [];
  let res: Iterators.NextResult<T> = await iterator.next();
  while (!res.done) {
    const value: T = res.value;
    out.push(value);
    res = await iterator.next();
  }
  await iterator.close();
  return out;
}

function seconds(ts: Timestamp): number {
  return ts.seconds.toNumber() + ts.nanos / 1e9;
}

class ProbeChaincode implements ChaincodeInterface {
  async Init(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const { fcn, params } = stub.getFunctionAndParameters();
    logger.info('Init', fcn, params.length);
    return shim.success();
  }

  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const ret = stub.getFunctionAndParameters();
    const method = (this as any)[ret.fcn];
    if (!method) {
      const err: ErrorResponse = shim.error(`no function ${ret.fcn}`);
      return err;
    }
    try {
      const payload: Buffer = await method(stub, ret.params);
      const ok: SuccessResponse = shim.success(payload);
      return ok;
    } catch (err: any) {
      logger.error(err);
      return Shim.error(err.message ?? String(err));
    }
  }

  async readState(stub: ChaincodeStub, args: string[]): Promise<Buffer> {
    const bytes: Uint8Array = await stub.getState(args[0]);
    return Buffer.from(bytes);
  }

  async writeState(stub: ChaincodeStub, args: string[]): Promise<Buffer> {
    let promise: Promise<void> = stub.putState(args[0], Buffer.from(args[1]));
    await promise;
    promise = stub.deleteState(args[2]);
    await promise;
    await stub.putPrivateData('coll', args[0], Buffer.from(args[1]));
    await stub.deletePrivateData('coll', args[0]);
    await stub.purgePrivateData('coll', args[0]);
    const hash: Uint8Array = await stub.getPrivateDataHash('coll', args[0]);
    stub.setEvent('written', Buffer.from(JSON.stringify({ key: args[0], hash: hash.length })));
    return Buffer.from('');
  }

  async query(stub: ChaincodeStub, args: string[]): Promise<Buffer> {
    const iterator: Iterators.StateQueryIterator = await stub.getStateByRange(args[0], args[1]);
    const kvs: Iterators.KV[] = await allResults(iterator);
    const keys = kvs.map((kv) => `${kv.namespace}/${kv.key}=${Buffer.from(kv.value).toString('utf8')}`);
    for await (const kv of stub.getQueryResult(JSON.stringify({ selector: {} }))) {
      keys.push(kv.key);
    }
    const page: StateQueryResponse<Iterators.StateQueryIterator> = await stub.getQueryResultWithPagination('{}', 10, '');
    const meta: QueryResponseMetadata = page.metadata;
    keys.push(`${meta.fetchedRecordsCount}:${meta.bookmark}`);
    await page.iterator.close();
    const { iterator: byKey, metadata } = await stub.getStateByPartialCompositeKeyWithPagination('color', ['blue'], 5);
    keys.push(String(metadata.fetchedRecordsCount));
    const next: Iterators.NextResult<Iterators.KV> = await byKey.next();
    if (!next.done) keys.push(next.value.key);
    await byKey.close();
    const priv = await stub.getPrivateDataByRange('coll', '', '');
    await priv.close();
    return Buffer.from(JSON.stringify(keys));
  }

  async history(stub: ChaincodeStub, args: string[]): Promise<Buffer> {
    const iterator: Iterators.HistoryQueryIterator = await stub.getHistoryForKey(args[0]);
    const results: object[] = [];
    let res = await iterator.next();
    while (!res.done) {
      const mod: Iterators.KeyModification = res.value;
      const ts = mod.timestamp;
      // fabric-shim types seconds as a Long but hands history records a plain number.
      const secs = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.low;
      const asNumber = Number(ts.seconds);
      // Compiles against both typings (seconds: Long), although undefined at run time on both shims:
      const low: number = ts.seconds.low;
      results.push({
        txId: mod.txId,
        isDelete: mod.isDelete,
        value: Buffer.from(mod.value).toString('utf8'),
        secs,
        asNumber,
        low,
        nanos: ts.nanos,
      });
      res = await iterator.next();
    }
    await iterator.close();
    return Buffer.from(JSON.stringify(results));
  }

  async keys(stub: ChaincodeStub, args: string[]): Promise<Buffer> {
    const key: string = stub.createCompositeKey('color~name', [args[0], args[1]]);
    const split: SplitCompositekey = stub.splitCompositeKey(key);
    const attrs: string[] = split.attributes;
    return Buffer.from(`${split.objectType}:${attrs.join(',')}`);
  }

  async proposal(stub: ChaincodeStub): Promise<Buffer> {
    const signed: ChaincodeProposal.SignedProposal = stub.getSignedProposal();
    const proposal: ChaincodeProposal.Proposal = signed.proposal;
    const header: ChaincodeProposal.Header = proposal.header;
    const channelHeader: ChaincodeProposal.ChannelHeader = header.channelHeader;
    const signatureHeader: ChaincodeProposal.SignatureHeader = header.signatureHeader;
    const payload: ChaincodeProposal.ChaincodeProposalPayload = proposal.payload;
    const type: ChaincodeProposal.HeaderType = channelHeader.type;
    const creator: SerializedIdentity = stub.getCreator();
    const mspid: string = creator.mspid;
    const idBytes: Uint8Array = signatureHeader.creator.idBytes;
    const transient: Map<string, Uint8Array> = stub.getTransient();
    const ts: Timestamp = stub.getTxTimestamp();
    const date: Date = stub.getDateTimestamp();
    const info = {
      type,
      channel: channelHeader.channelId,
      tx: channelHeader.txId,
      epoch: channelHeader.epoch,
      mspid,
      idBytes: idBytes.length,
      input: payload.input.length,
      transient: [...transient.keys()],
      seconds: seconds(ts),
      low: ts.seconds.low,
      date: date.toISOString(),
      binding: stub.getBinding(),
      sig: signed.signature.length,
      channelId: stub.getChannelID(),
      msp: stub.getMspID(),
      args: stub.getArgs().concat(stub.getStringArgs()),
    };
    return Buffer.from(JSON.stringify(info));
  }

  async endorsement(stub: ChaincodeStub, args: string[]): Promise<Buffer> {
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs(ENDORSER_ROLES.MEMBER, 'Org1MSP', 'Org2MSP');
    ep.addOrgs('PEER', 'Org3MSP');
    ep.delOrgs('Org2MSP');
    const orgs: string[] = ep.listOrgs();
    const policy: Uint8Array = ep.getPolicy();
    await stub.setStateValidationParameter(args[0], policy);
    const back = new KeyEndorsementPolicy(await stub.getStateValidationParameter(args[0]));
    await stub.setPrivateDataValidationParameter('coll', args[0], back.getPolicy());
    const role: ENDORSER_ROLES = ENDORSER_ROLES.PEER;
    return Buffer.from(`${orgs.join(',')}:${role}`);
  }

  async callOther(stub: ChaincodeStub, args: string[]): Promise<Buffer> {
    const response: ChaincodeResponse = await stub.invokeChaincode('other', args, 'mychannel');
    if (response.status !== shim.RESPONSE_CODE.OK) throw new Error(response.message);
    const code: number = ChaincodeStub.RESPONSE_CODE.ERROR;
    void code;
    return Buffer.from(response.payload ?? new Uint8Array());
  }

  whoAmI(stub: ChaincodeStub): Buffer {
    const cid = new ClientIdentity(stub);
    const attr = cid.getAttributeValue('hf.EnrollmentID');
    return Buffer.from(`${cid.getID()}|${cid.getMSPID()}|${attr}|${cid.assertAttributeValue('role', 'admin')}`);
  }
}

Shim.start(new ProbeChaincode());
shim.start(new ProbeChaincode());

export class ServerChaincode implements ChaincodeInterface {
  async Init(): Promise<ChaincodeResponse> {
    return Shim.success(Buffer.from('init'));
  }
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    return Shim.success(await stub.getState('k'));
  }
}

export async function serve(): Promise<void> {
  const server = Shim.server(new ServerChaincode(), {
    ccid: process.env.CHAINCODE_ID ?? '',
    address: process.env.CHAINCODE_SERVER_ADDRESS ?? '0.0.0.0:9999',
    tlsProps: { key: Buffer.from(''), cert: Buffer.from(''), clientCACerts: Buffer.from('') },
  });
  await server.start();
}
