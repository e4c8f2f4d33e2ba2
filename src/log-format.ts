/**
 * Fabric's logging format templates, as a peer passes them in CORE_CHAINCODE_LOGGING_FORMAT
 * (core.yaml `chaincode.logging.format`, default
 * `%{color}%{time:2006-01-02 15:04:05.000 MST} [%{module}] %{shortfunc} -> %{level:.4s} %{id:03x}%{color:reset} %{message}`),
 * so chaincode lines look like the peer's. Verbs are Fabric's flogging ones: color, id, level,
 * message, module, shortfunc, time; an unknown verb is kept as written.
 */

/** What a template needs of a log record (structurally a `LogRecord` of logger.ts). */
export interface FormattableRecord {
  time: Date;
  level: 'critical' | 'error' | 'warn' | 'notice' | 'info' | 'debug';
  logger: string;
  msg: string;
  fields: Record<string, string | number | boolean | undefined>;
}

type Part = string | ((r: FormattableRecord, seq: number) => string);

const LEVEL_TEXT = { critical: 'CRITICAL', error: 'ERROR', warn: 'WARNING', notice: 'NOTICE', info: 'INFO', debug: 'DEBUG' } as const;
// flogging's colours: DEBUG cyan, INFO blue, WARNING yellow, ERROR red, CRITICAL magenta.
const LEVEL_COLOR = {
  critical: '\x1b[35m',
  error: '\x1b[31m',
  warn: '\x1b[33m',
  notice: '\x1b[32m',
  info: '\x1b[34m',
  debug: '\x1b[36m',
} as const;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function offset(d: Date, colon: boolean, zulu: boolean): string {
  const minutes = -d.getTimezoneOffset();
  if (minutes === 0 && zulu) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

// Go reference-time tokens, longest first so `2006` wins over `2` and `.000` over `0`.
const GO_TOKENS: readonly [string, (d: Date) => string][] = [
  ['Z07:00', (d) => offset(d, true, true)],
  ['-07:00', (d) => offset(d, true, false)],
  ['-0700', (d) => offset(d, false, false)],
  ['.000000000', (d) => '.' + pad(d.getMilliseconds(), 3) + '000000'],
  ['.000000', (d) => '.' + pad(d.getMilliseconds(), 3) + '000'],
  ['.000', (d) => '.' + pad(d.getMilliseconds(), 3)],
  ['2006', (d) => String(d.getFullYear())],
  ['Jan', (d) => MONTHS[d.getMonth()] as string],
  ['Mon', (d) => DAYS[d.getDay()] as string],
  ['MST', (d) => (d.getTimezoneOffset() === 0 ? 'UTC' : offset(d, false, false))],
  ['01', (d) => pad(d.getMonth() + 1, 2)],
  ['02', (d) => pad(d.getDate(), 2)],
  ['15', (d) => pad(d.getHours(), 2)],
  ['03', (d) => pad(d.getHours() % 12 || 12, 2)],
  ['04', (d) => pad(d.getMinutes(), 2)],
  ['05', (d) => pad(d.getSeconds(), 2)],
  ['PM', (d) => (d.getHours() < 12 ? 'AM' : 'PM')],
  ['_2', (d) => String(d.getDate()).padStart(2, ' ')],
  ['1', (d) => String(d.getMonth() + 1)],
  ['2', (d) => String(d.getDate())],
  ['3', (d) => String(d.getHours() % 12 || 12)],
  ['4', (d) => String(d.getMinutes())],
  ['5', (d) => String(d.getSeconds())],
];

/** Compiles a Go time layout (`2006-01-02 15:04:05.000 MST`) into a formatter of local time. */
export function goTimeFormat(layout: string): (d: Date) => string {
  const parts: (string | ((d: Date) => string))[] = [];
  let literal = '';
  for (let i = 0; i < layout.length;) {
    const token = GO_TOKENS.find(([t]) => layout.startsWith(t, i));
    if (token === undefined) {
      literal += layout[i];
      i++;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(token[1]);
    i += token[0].length;
  }
  if (literal !== '') parts.push(literal);
  return (d) => parts.map((p) => (typeof p === 'string' ? p : p(d))).join('');
}

/** Applies a Go fmt spec such as `.4s`, `-8s`, `03x`, `d` to a string or number. */
function fmtSpec(spec: string, value: string | number): string {
  const m = /^(-)?(0)?(\d+)?(?:\.(\d+))?([sdxX])?$/.exec(spec);
  if (m === null) return String(value);
  const [, left, zero, width, precision, verb] = m;
  let s = typeof value === 'number' && (verb === 'x' || verb === 'X') ? value.toString(16) : String(value);
  if (verb === 'X') s = s.toUpperCase();
  if (precision !== undefined && (verb === undefined || verb === 's')) s = s.slice(0, Number(precision));
  const w = width === undefined ? 0 : Number(width);
  if (s.length < w) s = left !== undefined ? s.padEnd(w) : s.padStart(w, zero !== undefined ? '0' : ' ');
  return s;
}

function fieldsText(r: FormattableRecord): string {
  let out = '';
  for (const k in r.fields) {
    const v = r.fields[k];
    if (v === undefined) continue;
    const s = String(v);
    out += ` ${k}=${typeof v === 'string' && (s === '' || /[\s"=\\\u0000-\u001f]/.test(s)) ? JSON.stringify(s) : s}`;
  }
  return out;
}

/** True when `format` is a template (has a `%{verb}`) rather than a name such as `json` or `text`. */
export function isFormatTemplate(format: string): boolean {
  return /%\{\w+(?::[^}]*)?\}/.test(format);
}

/**
 * Compiles a Fabric format template into a line formatter. `colors` turns `%{color}` into ANSI
 * escapes (the caller passes whether the output is a terminal). `%{message}` is the message
 * followed by the record's fields as `key=value`; `%{shortfunc}` is the logger name's last part,
 * as JavaScript has no cheap caller name.
 */
export function compileTemplate(template: string, colors: boolean): (r: FormattableRecord) => string {
  const parts: Part[] = [];
  const re = /%\{(\w+)(?::([^}]*))?\}/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    last = m.index + m[0].length;
    const [whole, verb, arg] = m as unknown as [string, string, string | undefined];
    switch (verb) {
      case 'color':
        if (!colors) break;
        if (arg === 'reset') parts.push('\x1b[0m');
        else if (arg === 'bold') parts.push('\x1b[1m');
        else parts.push((r) => LEVEL_COLOR[r.level]);
        break;
      case 'time': {
        const time = goTimeFormat(arg ?? '2006-01-02T15:04:05.000Z07:00');
        parts.push((r) => time(r.time));
        break;
      }
      case 'level':
        parts.push((r) => fmtSpec(arg ?? 's', LEVEL_TEXT[r.level]));
        break;
      case 'module':
        parts.push((r) => fmtSpec(arg ?? 's', r.logger));
        break;
      case 'shortfunc':
        parts.push((r) => fmtSpec(arg ?? 's', r.logger.slice(r.logger.lastIndexOf(':') + 1)));
        break;
      case 'id':
        parts.push((_r, seq) => fmtSpec(arg ?? 'd', seq));
        break;
      case 'message':
        parts.push((r) => (/[\u0000-\u001f\u007f]/.test(r.msg) ? JSON.stringify(r.msg).slice(1, -1) : r.msg) + fieldsText(r));
        break;
      default:
        parts.push(whole);
    }
  }
  if (last < template.length) parts.push(template.slice(last));
  let seq = 0;
  return (r) => {
    seq++;
    let line = '';
    for (const p of parts) line += typeof p === 'string' ? p : p(r, seq);
    return line + '\n';
  };
}
