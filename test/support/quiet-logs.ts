/**
 * Setup file of `npm test` (see quiet-environment.js): the shim's loggers write their text lines
 * into the environment's buffer, printed only for a failing test. A test that sets its own sink
 * (to assert on log records) replaces this one for its file, as before.
 */
import { formatText, setLogSink } from '../../src/logger';

const lines = (globalThis as { __shimTestLogLines?: string[] }).__shimTestLogLines;
if (lines && process.env.TEST_LOGS !== 'all') setLogSink({ write: (r) => void lines.push(formatText(r)) });
