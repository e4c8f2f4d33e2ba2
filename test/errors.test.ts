/**
 * Errors the shim rejects stub calls with look, to chaincode, like the plain Error fabric-shim
 * rejects with (`new Error(peerText)`): same String(), JSON and own keys (issue 12), while the
 * details stay readable for those who look for them.
 */
import { ShimError } from '../src/errors';

test("a ShimError prints, serialises and enumerates as fabric-shim's plain Error", () => {
  const text = 'collection mychannel/cc/nosuch could not be found';
  const ours = new ShimError('PEER_ERROR', text, { txId: 'tx1', channelId: 'ch', requestType: 'GET_STATE' });
  const official = new Error(text);
  expect(String(ours)).toBe(String(official));
  expect(`${ours}`).toBe('Error: collection mychannel/cc/nosuch could not be found');
  expect(JSON.stringify(ours)).toBe(JSON.stringify(official));
  expect(Object.keys(ours)).toEqual(Object.keys(official));
  expect(ours.stack?.split('\n')[0]).toBe(official.stack?.split('\n')[0]);
});

test('its details are still there, and instanceof tells it apart', () => {
  const cause = new Error('underlying');
  const e = new ShimError('STREAM_CLOSED', 'gone', { txId: 'tx1', channelId: 'ch', requestType: 'PUT_STATE', grpcCode: 14, cause });
  expect(e).toBeInstanceOf(ShimError);
  expect(e).toBeInstanceOf(Error);
  expect({ code: e.code, txId: e.txId, channelId: e.channelId, requestType: e.requestType, grpcCode: e.grpcCode, cause: e.cause }).toEqual({
    code: 'STREAM_CLOSED',
    txId: 'tx1',
    channelId: 'ch',
    requestType: 'PUT_STATE',
    grpcCode: 14,
    cause,
  });
});
