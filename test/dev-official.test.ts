/**
 * `fabric-shim-ts dev --tls` with a package on the OFFICIAL shim (fabric-contract-api, started by
 * `fabric-chaincode-node start`): dev gives it the flags, environment and TLS client files a peer
 * gives a chaincode (base64 CORE_TLS_CLIENT_*_PATH), and the test-network application runs
 * against it unchanged.
 */
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, connectionOf, runApp, startDev, tempDir, type DevProcess } from './support/dev-session';

let dir: string;
let dev: DevProcess | undefined;

beforeAll(() => {
  dir = tempDir('dev-official-');
  cpSync(join(__dirname, 'fixtures', 'dev-official'), dir, { recursive: true });
  // What `npm install fabric-contract-api fabric-shim` gives the package.
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const pkg of ['fabric-contract-api', 'fabric-shim']) symlinkSync(join(ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg));
  symlinkSync(join(ROOT, 'node_modules', 'fabric-shim', 'cli.js'), join(dir, 'node_modules', '.bin', 'fabric-chaincode-node'));
});

afterAll(async () => {
  if (dev) expect(await dev.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

test('the test-network application against an official fabric-contract-api package under dev --tls', async () => {
  const startedAt = performance.now();
  dev = startDev(dir, ['--tls', '--address', '127.0.0.1:0', '--name', 'basic', '--no-watch']);
  await dev.waitFor(/chaincode basic ready/);
  // The package has no build script: dev goes straight to `npm start`.
  expect(dev.output()).not.toContain('npm run build');
  expect(dev.output()).toContain('fabric-chaincode-node start --peer.address 127.0.0.1:');
  const { cryptoPath, peerEndpoint } = connectionOf(dev.output());
  const run = await runApp({ CRYPTO_PATH: cryptoPath, PEER_ENDPOINT: peerEndpoint });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(run.stdout).toContain('*** Result: committed');
  expect(run.stdout).toMatch(/\*\*\* Transaction [0-9a-f]{64} committed in block \d+/);
  expect(run.stdout).toContain('previous owner Tom');
  expect(run.stdout).toContain('The asset asset70 does not exist');
  console.log(
    `fabric-shim-ts dev --tls (official shim, no build): start to first successful submit ${Math.round((run.firstCommitAt ?? NaN) - startedAt)} ms`,
  );
}, 120_000);
