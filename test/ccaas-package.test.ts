import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCcaasPackage, connectionJson, ustarArchive, validateLabel } from '../src/ccaas-package';
import { ShimError } from '../src/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccaas-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Extracts `archive` with the system tar into a fresh directory; returns it. */
function untar(archive: string, gz = true): string {
  const out = mkdtempSync(join(dir, 'x-'));
  execFileSync('tar', [gz ? '-xzf' : '-xf', archive, '-C', out]);
  return out;
}

/** `tar -tv` listing lines, for checking entry types. */
function listing(archive: string): string[] {
  return execFileSync('tar', ['-tvzf', archive]).toString().trim().split('\n');
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('ccaas package', () => {
  it('holds metadata.json and code.tar.gz/connection.json exactly as the ccaas builder reads them (no TLS)', () => {
    const pkg = createCcaasPackage({ label: 'basic_1.0', address: 'basic-cc:9999' });
    const file = join(dir, 'basic.tar.gz');
    writeFileSync(file, pkg.bytes);

    const names = listing(file).map((l) => l.split(/\s+/).pop());
    expect(names).toEqual(['metadata.json', 'code.tar.gz']);
    // Every entry is a regular file: the peer refuses any other tar type.
    for (const line of listing(file)) expect(line.startsWith('-')).toBe(true);

    const outer = untar(file);
    expect(readJson(join(outer, 'metadata.json'))).toEqual({ type: 'ccaas', label: 'basic_1.0' });
    const inner = untar(join(outer, 'code.tar.gz'));
    expect(readJson(join(inner, 'connection.json'))).toEqual({ address: 'basic-cc:9999', dial_timeout: '10s', tls_required: false });
    expect(pkg.packageId).toBe(`basic_1.0:${createHash('sha256').update(readFileSync(file)).digest('hex')}`);
  });

  it("writes TLS and client-auth material under the peer's field names", () => {
    const pkg = createCcaasPackage({
      label: 'cc',
      address: '{{.peername}}_cc:7052',
      dialTimeout: '5s',
      tlsRequired: true,
      clientAuthRequired: true,
      rootCert: 'ROOT PEM\n',
      clientKey: 'KEY PEM\n',
      clientCert: 'CERT PEM\n',
    });
    const file = join(dir, 'cc.tgz');
    writeFileSync(file, pkg.bytes);
    const inner = untar(join(untar(file), 'code.tar.gz'));
    expect(readJson(join(inner, 'connection.json'))).toEqual({
      address: '{{.peername}}_cc:7052',
      dial_timeout: '5s',
      tls_required: true,
      client_auth_required: true,
      root_cert: 'ROOT PEM\n',
      client_key: 'KEY PEM\n',
      client_cert: 'CERT PEM\n',
    });
  });

  it('is deterministic for the same input and changes id with the content', () => {
    const a = createCcaasPackage({ label: 'cc', address: 'h:1' });
    const b = createCcaasPackage({ label: 'cc', address: 'h:1' });
    const c = createCcaasPackage({ label: 'cc', address: 'h:2' });
    expect(a.packageId).toBe(b.packageId);
    expect(c.packageId).not.toBe(a.packageId);
  });

  it('refuses what the peer would refuse', () => {
    for (const label of ['', '_x', 'a b', 'a..b', 'x:y']) expect(() => validateLabel(label)).toThrow(ShimError);
    for (const label of ['a', 'basic_1.0', 'my-cc+v2']) expect(() => validateLabel(label)).not.toThrow();
    expect(() => connectionJson({ address: '' })).toThrow(/address/);
    expect(() => connectionJson({ address: 'h:1', tlsRequired: true })).toThrow(/root certificate/);
    expect(() => connectionJson({ address: 'h:1', tlsRequired: true, rootCert: 'r', clientAuthRequired: true })).toThrow(/client key/);
    expect(() => connectionJson({ address: 'h:1', clientAuthRequired: true })).toThrow(/requires TLS/);
  });

  it('ustar writer round-trips names, sizes and contents through the system tar', () => {
    const big = new Uint8Array(1500).map((_, i) => i % 251);
    const file = join(dir, 'plain.tar');
    writeFileSync(
      file,
      ustarArchive([
        { name: 'empty.txt', data: new Uint8Array(0) },
        { name: 'exact.bin', data: new Uint8Array(512).fill(7) },
        { name: 'big.bin', data: big, mode: 0o600 },
      ]),
    );
    const out = untar(file, false);
    expect(readFileSync(join(out, 'empty.txt')).length).toBe(0);
    expect(readFileSync(join(out, 'exact.bin'))).toEqual(Buffer.alloc(512, 7));
    expect(new Uint8Array(readFileSync(join(out, 'big.bin')))).toEqual(big);
    expect(() => ustarArchive([{ name: 'x'.repeat(101), data: new Uint8Array(0) }])).toThrow(ShimError);
  });

  it('ustar writer: a name over 100 bytes is split at a slash into the prefix field, as the system tar reads it', () => {
    const long = `src/${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(90)}.js`;
    const file = join(dir, 'long.tar');
    writeFileSync(file, ustarArchive([{ name: long, data: new TextEncoder().encode('long') }]));
    expect(execFileSync('tar', ['-tf', file]).toString()).toBe(`${long}\n`);
    expect(readFileSync(join(untar(file, false), long), 'utf8')).toBe('long');
    // No slash leaves a last part of at most 100 bytes.
    expect(() => ustarArchive([{ name: `src/${'g'.repeat(101)}`, data: new Uint8Array(0) }])).toThrow(/1-100 bytes/);
  });
});

describe('fabric-shim-ts package ccaas', () => {
  /** Runs packageCommand, capturing what it prints. */
  async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
      stdout += String(s);
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
      stderr += String(s);
      return true;
    });
    try {
      const { packageCommand } = await import('../src/cli/package');
      return { code: await packageCommand(argv), stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('writes the package and prints exactly its package id', async () => {
    const output = join(dir, 'out.tgz');
    const res = await run(['ccaas', '--label', 'asset_1.0', '--address=asset-cc:9999', '--output', output]);
    expect(res.code).toBe(0);
    const hash = createHash('sha256').update(readFileSync(output)).digest('hex');
    expect(res.stdout).toBe(`asset_1.0:${hash}\n`);
    const inner = untar(join(untar(output), 'code.tar.gz'));
    expect(readJson(join(inner, 'connection.json'))).toEqual({ address: 'asset-cc:9999', dial_timeout: '10s', tls_required: false });
  });

  it('reads TLS material from files for --tls --client-auth', async () => {
    const files = { root: join(dir, 'ca.pem'), key: join(dir, 'k.pem'), cert: join(dir, 'c.pem') };
    writeFileSync(files.root, 'ROOT');
    writeFileSync(files.key, 'KEY');
    writeFileSync(files.cert, 'CERT');
    const output = join(dir, 'tls.tgz');
    const res = await run([
      'ccaas',
      '--label',
      'cc',
      '--address',
      'cc:1',
      '--tls',
      '--client-auth',
      '--root-cert',
      files.root,
      '--client-key',
      files.key,
      '--client-cert',
      files.cert,
      '--dial-timeout',
      '3s',
      '--output',
      output,
    ]);
    expect(res.code).toBe(0);
    const inner = untar(join(untar(output), 'code.tar.gz'));
    expect(readJson(join(inner, 'connection.json'))).toEqual({
      address: 'cc:1',
      dial_timeout: '3s',
      tls_required: true,
      client_auth_required: true,
      root_cert: 'ROOT',
      client_key: 'KEY',
      client_cert: 'CERT',
    });
  });

  it('fails with a clear message and exit code 1 on bad input', async () => {
    const cases: [string[], RegExp][] = [
      [['ccaas', '--address', 'a:1'], /--label is required/],
      [['ccaas', '--label', 'x'], /--address is required/],
      [['docker', '--label', 'x', '--address', 'a:1'], /the package type is 'ccaas' .* or 'node'/],
      [['ccaas', '--label', 'x', '--address', 'a:1', '--tls'], /root certificate/],
      [['ccaas', '--label', 'x', '--address', 'a:1', '--bogus'], /unknown option --bogus/],
      [
        ['ccaas', '--label', 'x', '--address', 'a:1', '--tls', '--root-cert', join(dir, 'missing.pem')],
        /cannot read root certificate file/,
      ],
    ];
    for (const [argv, message] of cases) {
      const res = await run(argv);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(message);
    }
  });
});
