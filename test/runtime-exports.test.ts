/**
 * Names fabric-shim's typings declare as values (enums, a namespace) but its module does not
 * export at run time; ours are real values (README: intended difference `runtime-enums`).
 */
import * as ours from '../src/index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const official = require('fabric-shim') as Record<string, unknown>;

test.each(['ENDORSER_ROLES', 'RESPONSE_CODE', 'ChaincodeProposal'])('%s: undefined on fabric-shim, a value on ours', (name) => {
  expect(official[name]).toBeUndefined();
  expect((ours as Record<string, unknown>)[name]).toBeDefined();
});

test('their values are the ones the official typings declare', () => {
  expect(ours.ENDORSER_ROLES).toEqual({ MEMBER: 'MEMBER', PEER: 'PEER' });
  expect(ours.RESPONSE_CODE).toEqual({ OK: 200, ERRORTHRESHOLD: 400, ERROR: 500 });
  expect(ours.ChaincodeProposal.HeaderType.ENDORSER_TRANSACTION).toBe(3);
});
