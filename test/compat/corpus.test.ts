/**
 * The differential compat suite: every corpus chaincode on the official packages and on ours,
 * the same proposals, every response byte, event and committed effect compared. A difference
 * fails its chaincode's test unless intended-differences.ts lists it.
 *
 * COMPAT_REPORT=<file> writes every difference found (explained or not) as JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CORPUS } from './corpus';
import { Harness, type Difference } from './harness';
import { intendedFor } from './intended-differences';

let harness: Harness;
let out: string;
const found: (Difference & { intended?: string })[] = [];

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'compat-corpus-'));
  harness = await Harness.start(CORPUS, out);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
  rmSync(out, { recursive: true, force: true });
  if (process.env.COMPAT_REPORT) writeFileSync(process.env.COMPAT_REPORT, JSON.stringify(found, null, 2));
});

const format = (d: Difference): string => `${d.step} ${d.field}\n    official: ${d.official}\n    ours:     ${d.ours}`;

test.each(CORPUS.map((entry, i) => [entry.name, entry, i] as const))(
  '%s behaves and endorses as on fabric-shim',
  async (_name, entry, i) => {
    // Each chaincode gets its own hour of proposal timestamps: steps are a second apart.
    const { differences } = await harness.run(entry, Date.UTC(2024, 4, 1, i));
    for (const d of differences) found.push({ ...d, ...(intendedFor(d) ? { intended: intendedFor(d)!.id } : {}) });
    expect(differences.filter((d) => !intendedFor(d)).map(format)).toEqual([]);
  },
  60_000,
);
