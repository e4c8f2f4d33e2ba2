/**
 * The migration a user makes from the official packages to ours, as the tests make it on a
 * fixture written for the official ones: 'fabric-shim' -> ours, 'fabric-contract-api' ->
 * ours/contract (the sources, by absolute path); nothing else changes.
 */
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

const REWRITES: Readonly<Record<string, string>> = {
  'fabric-shim': path.join(ROOT, 'src', 'index.ts'),
  'fabric-contract-api': path.join(ROOT, 'src', 'contract', 'index.ts'),
};

/** `source` with every import/require of an official package pointed at ours. */
export function migrate(source: string): string {
  return source.replace(
    /(\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"])(fabric-shim|fabric-contract-api)\2/g,
    (_m, lead: string, quote: string, spec: string) => `${lead}${quote}${REWRITES[spec]}${quote}`,
  );
}
