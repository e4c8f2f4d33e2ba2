import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');

/** Runs the README's OpenTelemetry example as a user would and reads what its console exporters print. */
describe('examples/observability/otel-demo.ts (the README example)', () => {
  it('prints a transaction span that joins the client trace, talk-back spans and transaction metrics', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/observability/otel-demo.ts'], {
      cwd: ROOT,
      timeout: 60_000,
      env: { ...process.env, CORE_CHAINCODE_LOGGING_SHIM: 'CRITICAL' },
    });
    const spans = stdout.split(/\n(?=\{)/);
    const create = spans.find((s) => s.includes("name: 'chaincode create'"));
    expect(create).toBeDefined();
    // The traceparent from the transient map makes the transaction span part of the client's trace.
    expect(create).toContain("traceId: '4bf92f3577b34da6a3ce929d0e0e4736'");
    expect(stdout).toContain("name: 'PUT_STATE'");
    expect(stdout).toContain("name: 'chaincode bogus'");
    expect(stdout).toContain('chaincode.transactions');
  });
});
