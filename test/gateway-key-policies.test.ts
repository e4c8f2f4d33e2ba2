// Key-level (state-based) endorsement policies at commit through the gateway: a transaction that
// writes a key, or changes its policy, must be endorsed as the key's committed policy says, else
// it commits as ENDORSEMENT_POLICY_FAILURE and changes nothing. The mock peer endorses as peer0
// of Org1MSP alone, so a policy that also names Org2MSP can no longer be met.
import { CommitError, type Contract } from '@hyperledger/fabric-gateway';
import { KeyEndorsementPolicy, Shim, type ChaincodeInterface, type ChaincodeStub } from '../src';
import { TxValidationCode, type MockPeer } from '../src/testing';
import { peerEndorser, policySatisfied } from '../src/testing/key-policies';
import { startGatewayClient, type GatewayClient } from './support/gateway-client';

class Guarded implements ChaincodeInterface {
  async Init() {
    return Shim.success();
  }
  async Invoke(stub: ChaincodeStub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    const [key = '', ...rest] = params;
    if (fcn === 'put') await stub.putState(key, Buffer.from(rest[0] ?? ''));
    if (fcn === 'restrict') {
      const ep = new KeyEndorsementPolicy();
      ep.addOrgs('MEMBER', ...rest);
      await stub.setStateValidationParameter(key, ep.getPolicy());
    }
    return Shim.success(await stub.getState(key));
  }
}

let session: GatewayClient;
let peer: MockPeer;
let contract: Contract;

beforeAll(async () => {
  session = await startGatewayClient('guarded', new Guarded());
  ({ peer, contract } = session);
});

afterAll(() => session.stop());

const orgsOf = (key: string): string[] => new KeyEndorsementPolicy(peer.ledger.getMetadata('guarded', key).VALIDATION_PARAMETER).listOrgs();

async function commitCode(...args: string[]): Promise<TxValidationCode> {
  try {
    await contract.submitTransaction(...(args as [string, ...string[]]));
    return TxValidationCode.VALID;
  } catch (e) {
    if (!(e instanceof CommitError)) throw e;
    return e.code as number as TxValidationCode;
  }
}

test('a key policy our peer satisfies lets writes through; one naming another org stops them', async () => {
  expect(await commitCode('put', 'k1', 'v1')).toBe(TxValidationCode.VALID);
  // No policy on k1 yet: the chaincode's policy (our peer) applies.
  expect(await commitCode('restrict', 'k1', 'Org1MSP')).toBe(TxValidationCode.VALID);
  expect(await commitCode('put', 'k1', 'v2')).toBe(TxValidationCode.VALID);
  expect(await commitCode('restrict', 'k1', 'Org1MSP', 'Org2MSP')).toBe(TxValidationCode.VALID);
  expect(orgsOf('k1')).toEqual(['Org1MSP', 'Org2MSP']);

  // Org2MSP has not endorsed: neither a write nor a change of the policy itself commits.
  expect(await commitCode('put', 'k1', 'v3')).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
  expect(await commitCode('restrict', 'k1', 'Org1MSP')).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
  expect(peer.ledger.getString('guarded', 'k1')).toBe('v2');
  expect(orgsOf('k1')).toEqual(['Org1MSP', 'Org2MSP']);

  // Other keys are not concerned, and evaluating the guarded one still works.
  expect(await commitCode('put', 'k2', 'free')).toBe(TxValidationCode.VALID);
  expect(Buffer.from(await contract.evaluateTransaction('get', 'k1')).toString()).toBe('v2');
});

test('policy evaluation: roles, n-out-of-n, an undecodable policy', () => {
  const policy = (role: 'MEMBER' | 'PEER' | 'ADMIN', ...orgs: string[]): Uint8Array => {
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs(role, ...orgs);
    return ep.getPolicy();
  };
  const org1Peer = peerEndorser('Org1MSP');
  expect(policySatisfied(policy('PEER', 'Org1MSP'), [org1Peer])).toBe(true);
  expect(policySatisfied(policy('MEMBER', 'Org1MSP'), [org1Peer])).toBe(true);
  expect(policySatisfied(policy('ADMIN', 'Org1MSP'), [org1Peer])).toBe(false);
  expect(policySatisfied(policy('MEMBER', 'Org1MSP', 'Org2MSP'), [org1Peer])).toBe(false);
  expect(policySatisfied(policy('MEMBER', 'Org1MSP', 'Org2MSP'), [org1Peer, peerEndorser('Org2MSP')])).toBe(true);
  // No endorsement satisfies no principal.
  expect(policySatisfied(policy('MEMBER', 'Org1MSP'), [])).toBe(false);
  expect(policySatisfied(Buffer.from('not a policy'), [org1Peer])).toBe(false);
});
