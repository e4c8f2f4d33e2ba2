/**
 * The README's "Migrating from fabric-shim" section shows the one table of intended differences:
 * every entry of intended-differences.ts, by id and behaviour. (The suite proves the claims; the
 * README must not promise a different set.)
 */
import { readFileSync } from 'node:fs';
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
