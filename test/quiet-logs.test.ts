/**
 * `npm test` is quiet (issue 15): a passing test's log lines are not printed, a failing test's
 * are, with its name; no ts-jest deprecation warning. Runs jest on a fixture file in a child
 * process with the repository's own configuration.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

test("only the failing test's log lines are printed, and no ts-jest warning", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const base = require(path.join(ROOT, 'jest.config.js')) as Record<string, unknown>;
  const config = {
    ...base,
    rootDir: ROOT,
    roots: ['<rootDir>/test/fixtures/quiet-logs'],
    testMatch: ['**/*.fixture.ts'],
    reporters: ['default'],
  };
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--ci', '--no-cache'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TEST_LOGS: '', CORE_CHAINCODE_LOGGING_LEVEL: '' },
  });
  const out = run.stdout + run.stderr;
  expect(run.status).toBe(1);
  expect(out).not.toContain('expected error of the passing test');
  expect(out).toMatch(
    /--- log lines of test\/fixtures\/quiet-logs\/logs\.fixture\.ts > fails ---\n.*ERROR \[fixture\] error line the failing test needs\n--- end of log lines ---/,
  );
  expect(out).toContain('expect(received).toBe(expected)');
  expect(out).not.toContain('deprecated');
});
