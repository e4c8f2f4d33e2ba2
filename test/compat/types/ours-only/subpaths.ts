/*
 * Probe compiled against fabric-shim-ts only (no official counterpart): every subpath resolves
 * under every module setting, and its declarations are clean without skipLibCheck.
 */
import { ChaincodeStub, ENDORSER_ROLES, Iterators, Shim } from 'fabric-shim-ts';
import { Context, Contract, Transaction } from 'fabric-shim-ts/contract';
import { MockPeer } from 'fabric-shim-ts/testing';

export class Probe extends Contract {
  @Transaction()
  async put(ctx: Context, key: string): Promise<void> {
    const stub: ChaincodeStub = ctx.stub;
    await stub.putState(key, Buffer.from(ENDORSER_ROLES.PEER));
    for await (const kv of stub.getStateByRange('', '')) Shim.newLogger('probe').info(kv.key);
    const it: Iterators.StateQueryIterator = await stub.getStateByRange('', '');
    await it.close();
    const cert = ctx.clientIdentity.getX509Certificate();
    Shim.newLogger('probe').debug(cert.subject, cert.notAfter.toISOString());
  }
}

export async function run(): Promise<void> {
  const peer = await MockPeer.start();
  await peer.stop();
}
