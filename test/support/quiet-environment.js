/**
 * The test environment of `npm test`: Node's, plus a buffer for the shim's log lines. The setup
 * file (quiet-logs.ts) points every logger of a test file at that buffer; the lines of a test
 * are printed only when it fails (or a hook fails), so a passing run shows no expected ERROR or
 * WARN line, and a failing test still shows everything it logged, in order.
 * `TEST_LOGS=all npm test` prints every line as it comes instead.
 */
const { TestEnvironment } = require('jest-environment-node');

// grpc-js passes the dialled host as the TLS servername, and Node warns once per process
// (DEP0123) when that is an IP address. Tests dial 127.0.0.1 on purpose (loopback only), so
// this one warning is expected; every other warning is still printed. Patched on the worker's
// real process, which Node's tls module calls.
const emitWarning = process.emitWarning;
if (!emitWarning.quietWrapped) {
  process.emitWarning = function quietEmitWarning(warning, ...rest) {
    const code = typeof rest[0] === 'object' && rest[0] !== null ? rest[0].code : rest[1];
    if (code === 'DEP0123') return;
    return emitWarning.call(this, warning, ...rest);
  };
  process.emitWarning.quietWrapped = true;
}

class QuietEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.file = require('node:path').relative(config.projectConfig.rootDir, context.testPath);
    this.lines = [];
    // Read by test/support/quiet-logs.ts inside the test file's context.
    this.global.__shimTestLogLines = this.lines;
  }

  flush(title) {
    if (this.lines.length === 0) return;
    process.stderr.write(`\n--- log lines of ${this.file} > ${title} ---\n${this.lines.join('')}--- end of log lines ---\n`);
    this.lines.length = 0;
  }

  handleTestEvent(event) {
    if (event.name === 'test_done') {
      // Lines logged in beforeAll/beforeEach stay with the first test that follows, so they are
      // shown if it fails.
      if (event.test.errors.length > 0) this.flush(titleOf(event.test));
      else this.lines.length = 0;
    } else if (event.name === 'hook_failure') {
      this.flush(`${event.hook.type} hook`);
    } else if (event.name === 'run_finish') {
      // What afterAll hooks logged after the last test: kept only if the file failed somewhere.
      this.lines.length = 0;
    }
  }
}

function titleOf(test) {
  const names = [];
  for (let t = test; t && t.name !== 'ROOT_DESCRIBE_BLOCK'; t = t.parent) names.unshift(t.name);
  return names.join(' > ');
}

module.exports = QuietEnvironment;
