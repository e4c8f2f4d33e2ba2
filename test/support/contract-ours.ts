/**
 * The asset contract on fabric-shim-ts, generated from test/fixtures/contract-official/assets.ts
 * by the migration a user makes (its `fabric-contract-api` import pointed at ours, nothing else),
 * as the compat tests derive their chaincode: one source for both sides.
 *
 * The migrated file is written to a temporary folder and loaded with the test's own `require`,
 * so it goes through the same transform and module registry as every test file: its Contract
 * classes are the ones `../../src/contract` exports to the test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from './migrate';
import type { Contract } from '../../src/contract';

/** What the tests take from the migrated module: its contract classes, which are ours now. */
export interface OurAssets {
  readonly contracts: readonly (new () => Contract)[];
}

/** The official fixture's path and its source, as written for fabric-contract-api. */
export const OFFICIAL_SOURCE_FILE = join(__dirname, '..', 'fixtures', 'contract-official', 'assets.ts');
export const officialSource = readFileSync(OFFICIAL_SOURCE_FILE, 'utf8');

/** The migrated source: the official one with its import rewritten. */
export const oursSource = migrate(officialSource);
if (oursSource === officialSource) throw new Error(`${OFFICIAL_SOURCE_FILE}: no fabric-contract-api import to migrate`);

function load(): OurAssets {
  const dir = mkdtempSync(join(tmpdir(), 'contract-ours-'));
  try {
    const file = join(dir, 'assets.ts');
    writeFileSync(file, oursSource);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as OurAssets;
  } finally {
    // Loaded (compiled and run) by now: the file is not needed again.
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The module the migrated fixture exports. */
export const ours: OurAssets = load();
