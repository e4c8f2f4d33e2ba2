/**
 * THE table of intended differences between fabric-shim / fabric-contract-api 2.5.8 and ours.
 * The README's "Migrating from fabric-shim" section shows it (readme-table.test.ts checks that
 * every id and behaviour appears there). A difference the corpus finds fails the suite unless an
 * entry here covers it.
 *
 * Only deliberate choices belong here: a difference that is a bug in our shim stays failing until
 * it is fixed. Where ours is stricter, the corpus step asserts what ours must do (`oursMust`), so
 * the entry cannot hide a regression. Entries whose behaviour the corpus cannot show (process
 * handlers, typings, argument checks that throw before anything is sent) name the test that
 * proves ours in `provedBy` and cover no corpus difference.
 */
import type { Difference } from './harness';

export interface IntendedDifference {
  /** Stable id, shown in the README. */
  id: string;
  /** The behaviour, in the README's words. */
  behaviour: string;
  official: string;
  ours: string;
  reason: string;
  /** The differences it explains: chaincode, step ids (all when omitted), fields matching `field` (all when omitted). */
  covers: { chaincode: string; steps?: readonly string[]; field?: RegExp }[];
  /** The test files that prove our side, where the corpus does not. */
  provedBy?: readonly string[];
}

export const INTENDED_DIFFERENCES: readonly IntendedDifference[] = [
  {
    id: 'unawaited-writes',
    behaviour: 'Stub calls issued without `await` (putState, deleteState, putPrivateData, iterator.close(), ...)',
    official:
      'The first un-awaited call reaches the peer before COMPLETED; later ones are queued behind it and sent after the transaction ended, so they are lost (logged as an unhandled rejection). Which ones commit depends on timing.',
    ours: 'Every stub call issued before Init/Invoke settles is sent and answered before COMPLETED, in issue order: all un-awaited writes commit, deterministically; if one fails, the transaction fails with its error.',
    reason:
      'The official result is a race (only part of the transaction commits); ours is the only deterministic choice that keeps every write the code asked for.',
    // Only the committed keys differ; the responses must not, and the steps' oursMust checks
    // that ours committed every write.
    covers: [
      { chaincode: 'careless-js', field: /^ledger:public\/"(u\d|keep)"/ },
      { chaincode: 'careless-ts', field: /^ledger:public\/"many\d"/ },
      // A later step lists the keys: on the official side the lost writes are missing from it.
      { chaincode: 'careless-js', steps: ['closeNoAwait'], field: /^payload$/ },
    ],
    provedBy: ['test/lifecycle-unawaited.test.ts'],
  },
  {
    id: 'unawaited-call-fails',
    behaviour: 'A stub call left without `await` that the peer refuses after Init/Invoke returned',
    official: "Logged as an unhandled rejection; the transaction completes with the chaincode's response and commits the other writes.",
    ours: "The transaction ends with ERROR carrying the peer's message; nothing commits.",
    reason: 'The response was decided without knowing the call failed: committing part of the writes is worse than failing.',
    covers: [],
    provedBy: ['test/lifecycle-unawaited.test.ts'],
  },
  {
    id: 'late-call',
    behaviour: 'A stub call made after the transaction ended (from a timer, or a promise chain that outlives Invoke)',
    official: 'Sent anyway; the peer answers ERROR; the rejection is usually unhandled and logged.',
    ours: 'Rejects at once with ShimError TRANSACTION_CLOSED naming the txid, the method and the message type; nothing is sent; the promise is never an unhandled rejection.',
    reason: 'A clear error and no wasted round trip.',
    covers: [],
    provedBy: ['test/lifecycle-unawaited.test.ts', 'test/reliability-chaincode.test.ts'],
  },
  {
    id: 'process-handlers',
    behaviour: 'unhandledRejection / uncaughtException handlers',
    official:
      'Installed when fabric-shim is required, in any process that imports it; a lost stream calls process.exit(1) inside the handler.',
    ours: 'Installed only by start(), server().start() and the CLI, once; they log (with channel and txid when the error names them) and the process keeps serving. A lost stream rejects start(), and the CLI exits 1.',
    reason: "A library must not change its host's error handling; the peer sees the same exit code.",
    covers: [],
    provedBy: ['test/lifecycle-process.test.ts'],
  },
  {
    id: 'thrown-invoke-answered',
    behaviour:
      'A plain-shim Init/Invoke that throws or rejects (an Error, a string or any value); a contract transaction that rejects with null or undefined',
    official:
      'Never answered: fabric-shim logs an unhandled rejection and the peer waits for its execute timeout (30 s by default); the transaction then fails with a timeout.',
    ours: 'Answered at once with an error carrying the thrown message (String(value) for a non-Error); the transaction fails immediately and nothing it wrote commits.',
    reason: 'Same end result for the client (the transaction fails, nothing commits) without holding the peer for 30 s.',
    covers: [
      {
        chaincode: 'quirks-js',
        steps: ['throwError', 'throwString', 'throwObject', 'rejectUndefined'],
        field: /^(outcome|status|message)$/,
      },
      { chaincode: 'abstore-js', steps: ['initThrows'], field: /^(outcome|status|message)$/ },
      // fabric-contract-api reads `.message` of the rejection value: a null one throws inside it and nothing answers.
      { chaincode: 'contract-quirks-js', steps: ['RejectsNull'], field: /^(outcome|status|message)$/ },
    ],
    provedBy: ['test/reliability-chaincode.test.ts'],
  },
  {
    id: 'unencodable-response',
    behaviour:
      'A plain-shim response whose payload is neither bytes nor a string, whose status is not a 32-bit integer, or whose string payload is not base64',
    official: 'google-protobuf throws while fabric-shim serialises the response; nothing answers the peer until its timeout.',
    ours: 'ERROR at once, naming what is wrong with the response.',
    reason: 'The transaction fails either way; the peer is not held for 30 s.',
    covers: [],
    provedBy: ['test/codec-response.test.ts', 'test/reliability-chaincode.test.ts'],
  },
  {
    id: 'private-query-iterator',
    behaviour: 'getPrivateDataByRange, getPrivateDataByPartialCompositeKey and getPrivateDataQueryResult used as iterators',
    official: 'They resolve to `{ iterator }`, so `next()` on the result fails: iterator.next is not a function.',
    ours: 'They resolve to an object with the same own keys (`{ iterator }`) that also has next(), close() and for await, as the typings promise.',
    reason:
      'Code written to the official typings works instead of failing on every call; a transaction that always fails on the official shim is never endorsed there, so no endorsement can disagree.',
    covers: [{ chaincode: 'private-data-ts', steps: ['Range', 'RangeAfter'], field: /^(status|message|payload)/ }],
    provedBy: ['test/shapes-differential.test.ts'],
  },
  {
    id: 'base-context-parameter',
    behaviour: 'A transaction declared with `ctx: Context` in a contract whose createContext() returns a subclass',
    official:
      'The ctx parameter is taken for an argument: GetMetadata lists it and every call fails with Expected 1 parameters, but 0 have been supplied.',
    ours: 'Recognised as the context, as `ctx: MyContext` is: the transaction runs and GetMetadata does not list it.',
    reason: 'The official behaviour makes such a transaction unusable; no endorsement can disagree on a call that always fails there.',
    covers: [
      { chaincode: 'events-ts', steps: ['PlainContext'], field: /^(status|message|payload)/ },
      { chaincode: 'events-ts', steps: ['GetMetadata'], field: /^payload at \.contracts\.events\.transactions\.\d+\.parameters/ },
    ],
  },
  {
    id: 'serialise-stub',
    behaviour: 'JSON.stringify of the stub, or of a ClientIdentity or Context (which hold it)',
    official: 'Throws TypeError: Converting circular structure to JSON.',
    ours: 'Throws too, with another text (Do not know how to serialize a BigInt).',
    reason:
      "Both fail; the same text would mean copying fabric-shim's internal object graph. Serialise the fields you need (ClientIdentity's mspId, id, attrs are the same).",
    covers: [
      { chaincode: 'quirks-js', steps: ['identityJson'], field: /^(message|payload)$/ },
      { chaincode: 'contract-quirks-js', steps: ['IdentityJson'], field: /^payload$/ },
    ],
  },
  {
    id: 'internal-protobuf-objects',
    behaviour: 'iterator.close() result, and the messages inside getSignedProposal()',
    official:
      "google-protobuf message objects (close() resolves with one; the proposal's channel header, creator and payload are ones with getters such as getChannelId()).",
    ours: 'close() resolves undefined; the proposal holds plain objects with the fields the official typings declare.',
    reason: "Those objects serialise to google-protobuf's minified internals, which change with its build: no shim can match them.",
    covers: [],
    provedBy: ['test/shapes-differential.test.ts'],
  },
  {
    id: 'argument-checks',
    behaviour:
      'A key, bookmark or query that is not a string; invokeChaincode arguments; composite key attributes with U+0000, U+10FFFF or a lone surrogate',
    official:
      "Sent as they come: protobuf silently turns a non-string key, bookmark or query into '' (reading or writing the empty key); odd invokeChaincode arguments fail inside Buffer/protobuf; such attributes give a key that cannot be split again.",
    ours: "Refused before anything is sent (INVALID_ARGUMENT, e.g. key must be a valid string); composite key attributes with the Go shim's message. Empty string keys, undefined values and numeric page sizes are sent as fabric-shim sends them.",
    reason:
      'Silent writes to the empty key and unsplittable keys corrupt the ledger; the checks match what fabric-shim and the peer accept everywhere else.',
    covers: [],
    provedBy: ['test/reliability-chaincode.test.ts', 'test/shapes-differential.test.ts', 'test/composite-key.test.ts'],
  },
  {
    id: 'attribute-inherited-names',
    behaviour: 'ClientIdentity.getAttributeValue of a name inherited from Object.prototype (constructor, toString, ...)',
    official: "Returns the prototype's function.",
    ours: 'null, as for any attribute the certificate does not carry.',
    reason: 'Those names are not attributes.',
    covers: [],
    provedBy: ['test/client-identity.test.ts'],
  },
  {
    id: 'contract-argument-edge-cases',
    behaviour:
      "Contract arguments: a Map parameter; '' for a number; a non-array JSON value for an array; an Object-typed parameter given a type with @Param",
    official:
      "Map: every call fails (Cannot read properties of undefined (reading 'cnstr')); '' becomes 0; jsonForValidation.map is not a function; the module fails to load (Type not properly specified).",
    ours: "Map: decoded from a JSON object and validated; '' is refused (fromBuffer could not convert data to number); fromBuffer could not convert data to an array; the @Param type is used.",
    reason:
      'Where the official fails by accident we give a working or clearly worded result; an empty argument is a client mistake, not zero. The corpus matches the official on every other argument path.',
    covers: [],
    provedBy: ['test/contract-differential.test.ts'],
  },
  {
    id: 'contract-error-log',
    behaviour:
      'Contract argument errors in the log, and class-transformer decorators (@Exclude, @Expose, @Type) on result or argument classes',
    official: 'The log has the message only; class-transformer decorators are honoured.',
    ours: 'The response carries the official text, the log line also names the parameter and the transaction; class-transformer decorators are ignored (we do not depend on class-transformer).',
    reason: 'Diagnosability without changing the response; one dependency fewer.',
    covers: [],
    provedBy: ['test/contract-differential.test.ts'],
  },
  {
    id: 'typings',
    behaviour: 'Typings: getTxTimestamp().seconds, newLogger(), ChaincodeStub and ClientIdentity classes, getX509Certificate()',
    official: "long's Long; winston's Logger; declared without private members; no getX509Certificate.",
    ours: "Our Long (long's methods and Long.isLong, no long import); a structural logger with winston's level methods, level, log, child; classes with private members, so `class X implements ChaincodeStub` does not compile (use a cast in mocks); getX509Certificate() returns a structural certificate view.",
    reason:
      'No third-party type may leak into our declarations (they would need DOM or winston types); every program the type-compat probes cover compiles unchanged.',
    covers: [],
    provedBy: ['test/type-compat.test.ts', 'test/shapes-types.test.ts'],
  },
  {
    id: 'runtime-enums',
    behaviour: 'ENDORSER_ROLES, ChaincodeProposal.HeaderType and RESPONSE_CODE imported from the module',
    official: 'Declared in the typings but undefined at run time.',
    ours: 'Real values.',
    reason: 'Code that uses them works instead of crashing.',
    covers: [],
    provedBy: ['test/runtime-exports.test.ts'],
  },
  {
    id: 'policy-proto-org',
    behaviour: 'KeyEndorsementPolicy.addOrgs with an MSP id of `__proto__`',
    official:
      'The org is lost (the assignment to a plain object sets its prototype): listOrgs() omits it and the policy bytes do not name it.',
    ours: 'Kept like any other MSP id.',
    reason: 'A policy that silently drops an org it was given is a bug, not a behaviour to copy.',
    covers: [],
    provedBy: ['test/endorsement-policy.test.ts'],
  },
];

/**
 * The entry explaining a difference, if any. A failed `oursMust` check or a dead process is
 * never intended.
 */
export function intendedFor(d: Difference): IntendedDifference | undefined {
  if (d.field === 'ours-must' || d.step === '(process)') return undefined;
  return INTENDED_DIFFERENCES.find((entry) =>
    entry.covers.some(
      (c) =>
        c.chaincode === d.chaincode &&
        (c.steps === undefined || c.steps.includes(d.step)) &&
        (c.field === undefined || c.field.test(d.field)),
    ),
  );
}
