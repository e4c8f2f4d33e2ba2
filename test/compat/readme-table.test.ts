/**
 * The README's "Migrating from fabric-shim" section shows the one table of intended differences:
 * every entry of intended-differences.ts, by id and behaviour. (The suite proves the claims; the
 * README must not promise a different set.)
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { INTENDED_DIFFERENCES } from './intended-differences';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = /^#+ Migrating from fabric-shim\b[\s\S]*?(?=^#{1,2} (?!#)|$(?![\s\S]))/m.exec(readme)?.[0] ?? '';
const flat = (text: string): string => text.replace(/\s+/g, ' ').replace(/`/g, '');

test('README has a "Migrating from fabric-shim" section', () => {
  expect(section).not.toBe('');
});

test.each(INTENDED_DIFFERENCES.map((d) => [d.id, d] as const))('README lists intended difference %s with its behaviour', (_id, d) => {
  expect(section).toContain(d.id);
  expect(flat(section)).toContain(flat(d.behaviour));
});

test.each(INTENDED_DIFFERENCES.filter((d) => d.provedBy).map((d) => [d.id, d.provedBy!] as const))(
  'the tests named for %s exist',
  (_id, files) => {
    for (const file of files) expect(existsSync(path.join(__dirname, '..', '..', file))).toBe(true);
  },
);

test('every entry is proved: by the corpus (it covers differences) or by named tests', () => {
  expect(INTENDED_DIFFERENCES.filter((d) => d.covers.length === 0 && !d.provedBy?.length).map((d) => d.id)).toEqual([]);
});
