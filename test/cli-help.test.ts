/**
 * `fabric-shim-ts --help`, `<command> --help` and `--version` (issue 15): each prints on stdout
 * and exits 0 without starting anything; every command's help names its flags, its environment
 * variables and an example.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runToEnd, stopAll } from './support/cli-process';

afterAll(() => stopAll());

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const res = await runToEnd(['--version']);
  expect(res).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test('--help lists the commands and how to get help on each', async () => {
  const res = await runToEnd(['--help']);
  expect(res.code).toBe(0);
  for (const command of ['start', 'server', 'package ccaas', 'mock-peer', 'dev', 'metadata generate'])
    expect(res.stdout).toContain(command);
  expect(res.stdout).toMatch(/--version/);
  expect(res.stdout).toMatch(/Example:/);
});

// Each: the command line, then what its help must name (flags, environment variables, an example).
const HELP: [string[], RegExp[]][] = [
  [
    ['start', '--help'],
    [
      /--peer\.address/,
      /CORE_PEER_ADDRESS/,
      /--chaincode-id-name/,
      /CORE_CHAINCODE_ID_NAME/,
      /--registration-timeout/,
      /CORE_REGISTRATION_TIMEOUT/,
      /CORE_PEER_TLS_ENABLED/,
      /--module/,
    ],
  ],
  [
    ['server', '--help'],
    [/--chaincode-address/, /CHAINCODE_SERVER_ADDRESS/, /--chaincode-id/, /CHAINCODE_ID/, /--shutdown-grace-ms/],
  ],
  [
    ['package', 'ccaas', '--help'],
    [/--label/, /--address/, /--tls/, /--output/],
  ],
  [
    ['mock-peer', '--help'],
    [/--address/, /--channel/, /--no-batch/, /invoke <chaincode>/, /--transient/, /--msp/, /No environment variables/],
  ],
  [
    ['metadata', 'generate', '--help'],
    [/--file/, /--module/, /No environment variables/],
  ],
  [
    ['dev', '--help'],
    [/--address/, /--tls/, /--crypto-dir/, /--no-watch/, /CORE_PEER_ADDRESS/, /No environment variables/],
  ],
  [['help', 'start'], [/--peer\.address/]],
];

test.each(HELP)('%j prints its help (flags, environment, example) and starts nothing', async (args, expected) => {
  // A peer address and id that would be dialled if `start` ran: nothing may be.
  const res = await runToEnd(args, { CORE_PEER_ADDRESS: '127.0.0.1:1', CORE_CHAINCODE_ID_NAME: 'x:1', CHAINCODE_SERVER_ADDRESS: '' });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/^Usage: fabric-shim-ts /);
  expect(res.stdout).toMatch(/Example:\n {2}\S/);
  for (const re of expected) expect(res.stdout).toMatch(re);
});

test('start --help wins over CHAINCODE_SERVER_ADDRESS (it does not start a server)', async () => {
  const res = await runToEnd(['start', '--help'], { CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0', CHAINCODE_ID: 'x:1' });
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/^Usage: fabric-shim-ts start/);
  expect(res.stderr).toBe('');
});
