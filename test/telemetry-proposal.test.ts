import fc from 'fast-check';
import { create, toBinary } from '@bufbuild/protobuf';
import { ChaincodeProposalPayloadSchema, ProposalSchema } from '../src/gen/peer/proposal_pb';
import { traceHeadersFromProposal } from '../src/proposal';

const utf8 = new TextEncoder();

function proposalBytes(transient: Record<string, Uint8Array>, input: Uint8Array): Uint8Array {
  const payload = toBinary(ChaincodeProposalPayloadSchema, create(ChaincodeProposalPayloadSchema, { input, TransientMap: transient }));
  return toBinary(ProposalSchema, create(ProposalSchema, { header: utf8.encode('header'), payload, extension: utf8.encode('ext') }));
}

describe('traceHeadersFromProposal', () => {
  it('finds the entries a full decode finds, whatever else the map holds', () => {
    const key = fc.oneof(fc.constant('traceparent'), fc.constant('tracestate'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.dictionary(key, fc.uint8Array({ maxLength: 40 })), fc.uint8Array({ maxLength: 40 }), (transient, input) => {
        const found = traceHeadersFromProposal(proposalBytes(transient, input));
        expect(found.traceparent).toEqual(transient.traceparent);
        expect(found.tracestate).toEqual(transient.tracestate);
      }),
    );
  });

  it('finds nothing in an empty proposal and throws on truncated bytes', () => {
    expect(traceHeadersFromProposal(new Uint8Array(0))).toEqual({ traceparent: undefined, tracestate: undefined });
    const bytes = proposalBytes({ traceparent: utf8.encode('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') }, new Uint8Array(0));
    expect(() => traceHeadersFromProposal(bytes.subarray(0, bytes.length - 20))).toThrow();
  });
});
