import { create, toBinary } from '@bufbuild/protobuf';
import { ChaincodeMessageSchema, ChaincodeMessage_Type } from '../src/gen/peer/chaincode_shim_pb';
import * as official from '@hyperledger/fabric-protos';

test('smoke', () => {
  const bytes = toBinary(ChaincodeMessageSchema, create(ChaincodeMessageSchema, { type: ChaincodeMessage_Type.GET_STATE, txid: 't1', channelId: 'ch' }));
  const m = official.peer.ChaincodeMessage.deserializeBinary(bytes);
  expect(m.getTxid()).toBe('t1');
  expect(m.getChannelId()).toBe('ch');
  expect(m.getType()).toBe(8);
});
