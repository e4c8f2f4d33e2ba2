/**
 * THE table of intended differences between fabric-shim / fabric-contract-api 2.5.8 and ours.
 * The README's "Migrating from fabric-shim" section shows it (readme-table.test.ts checks that
 * every id and behaviour appears there). A difference the corpus finds fails the suite unless an
 * entry here covers it.
 *
 * Only deliberate improvements belong here, each where the official result is absent or racy:
 * a difference that is a bug in our shim stays failing until it is fixed. Where ours is stricter,
 * the corpus step asserts what ours must do (`oursMust`), so the entry cannot hide a regression.
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
}

export const INTENDED_DIFFERENCES: readonly IntendedDifference[] = [
  {
    id: 'unawaited-writes',
    behaviour: 'Writes issued without `await` (putState, deleteState, putPrivateData, setEvent-free stub calls)',
    official: 'The first un-awaited call reaches the peer before COMPLETED; later ones are queued behind it and sent after the transaction ended, so they are lost (logged as an unhandled rejection). Which ones commit depends on timing.',
    ours: 'Every stub call issued before Init/Invoke settles is sent and answered before COMPLETED, in issue order: all un-awaited writes commit, deterministically; if one fails, the transaction fails with its error.',
    reason: 'The official result is a race (only part of the transaction commits); ours is the only deterministic choice that keeps every write the code asked for.',
    // Only the committed keys differ; the responses must not, and the steps' oursMust checks
    // that ours committed every write.
    covers: [
      { chaincode: 'careless-js', field: /^ledger:public\/"(u\d|keep)"/ },
      { chaincode: 'careless-ts', field: /^ledger:public\/"many\d"/ },
    ],
  },
  {
    id: 'thrown-invoke-answered',
    behaviour: 'A plain-shim Init/Invoke that throws or rejects (an Error, a string or any value); a contract transaction that rejects with null or undefined',
    official: 'Never answered: fabric-shim logs an unhandled rejection and the peer waits for its execute timeout (30 s by default); the transaction then fails with a timeout.',
    ours: 'Answered at once with an error carrying the thrown message (String(value) for a non-Error); the transaction fails immediately and nothing it wrote commits.',
    reason: 'Same end result for the client (the transaction fails, nothing commits) without holding the peer for 30 s.',
    covers: [
      { chaincode: 'quirks-js', steps: ['throwError', 'throwString', 'throwObject', 'rejectUndefined'], field: /^(outcome|status|message)$/ },
      { chaincode: 'abstore-js', steps: ['initThrows'], field: /^(outcome|status|message)$/ },
      // fabric-contract-api reads `.message` of the rejection value: a null one throws inside it and nothing answers.
      { chaincode: 'contract-quirks-js', steps: ['RejectsNull'], field: /^(outcome|status|message)$/ },
    ],
  },
];

/**
 * The entry explaining a difference, if any. A failed `oursMust` check or a dead process is
 * never intended.
 */
export function intendedFor(d: Difference): IntendedDifference | undefined {
  if (d.field === 'ours-must' || d.step === '(process)') return undefined;
  return INTENDED_DIFFERENCES.find((entry) => entry.covers.some((c) =>
    c.chaincode === d.chaincode && (c.steps === undefined || c.steps.includes(d.step)) && (c.field === undefined || c.field.test(d.field))));
}
