/** A mock peer with the gateway, one chaincode launched in-process, and a fabric-gateway client connected to it. */
import * as grpc from '@grpc/grpc-js';
import { connect, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import type { ChaincodeInterface } from '../../src';
import { MockPeer } from '../../src/testing';

export interface GatewayClient {
  readonly peer: MockPeer;
  readonly client: grpc.Client;
  readonly gateway: Gateway;
  /** The launched chaincode on the default channel. */
  readonly contract: Contract;
  /** Closes the gateway and the client, then stops the peer. */
  stop(): Promise<void>;
}

/** Starts the peer (insecure, loopback, port 0), launches `chaincode` as `name` and connects as User of Org1MSP. */
export async function startGatewayClient(name: string, chaincode: ChaincodeInterface): Promise<GatewayClient> {
  const peer = await MockPeer.start({ gateway: true });
  await peer.launch(name, chaincode);
  const client = new grpc.Client(peer.address, grpc.credentials.createInsecure());
  const gateway = connect({ client, ...(await peer.gatewayCredentials()) });
  return {
    peer,
    client,
    gateway,
    contract: gateway.getNetwork('mychannel').getContract(name),
    async stop() {
      gateway.close();
      client.close();
      await peer.stop();
    },
  };
}
