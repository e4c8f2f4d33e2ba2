import { compileTemplate, goTimeFormat, isFormatTemplate, type FormattableRecord } from '../src/log-format';

const PEER_DEFAULT =
  '%{color}%{time:2006-01-02 15:04:05.000 MST} [%{module}] %{shortfunc} -> %{level:.4s} %{id:03x}%{color:reset} %{message}';
// Local time in the record is what Go prints too: build the expected text from local fields.
const when = new Date(2024, 4, 1, 9, 3, 7, 42);
const record = (over: Partial<FormattableRecord> = {}): FormattableRecord => ({
  time: when,
  level: 'warn',
  logger: 'shim:handler',
  msg: 'stream ended',
  fields: { channel: 'ch', txid: '01234567', note: 'a b' },
  ...over,
});

describe('Fabric format templates', () => {
  it('the peer default template, without colours', () => {
    const format = compileTemplate(PEER_DEFAULT, false);
    const line = format(record());
    expect(line).toMatch(
      /^2024-05-01 09:03:07\.042 \S+ \[shim:handler\] handler -> WARN 001 stream ended channel=ch txid=01234567 note="a b"\n$/,
    );
    if (when.getTimezoneOffset() === 0) expect(line).toContain(' UTC ');
    // %{id} counts lines, in hex.
    for (let i = 2; i < 26; i++) format(record());
    expect(format(record({ level: 'debug' }))).toContain('-> DEBU 01a stream');
  });

  it('colours by level and resets when asked', () => {
    const line = compileTemplate('%{color}%{level}%{color:reset} %{message}', true)(record({ level: 'error', fields: {} }));
    expect(line).toBe('\x1b[31mERROR\x1b[0m stream ended\n');
  });

  it('fmt specs: width, left-justify, zero padding, precision', () => {
    const line = compileTemplate('<%{level:-8s}|%{level:8s}|%{id:05d}|%{module:.4s}>', false)(record({ level: 'info' }));
    expect(line).toBe('<INFO    |    INFO|00001|shim>\n');
  });

  it('keeps unknown verbs and literal text; escapes control characters in the message', () => {
    const line = compileTemplate('%{pid} 100%% %{message}', false)(record({ msg: 'a\nb', fields: {} }));
    expect(line).toBe('%{pid} 100%% a\\nb\n');
  });

  it('Go time layouts', () => {
    expect(goTimeFormat('2006/01/02 03:04:05PM .000000')(new Date(2024, 11, 31, 23, 59, 58, 7))).toBe('2024/12/31 11:59:58PM .007000');
    expect(goTimeFormat('Mon Jan 2 _2 1/2 3:4:5')(new Date(2024, 0, 1, 13, 2, 3))).toBe('Mon Jan 1  1 1/1 1:2:3');
    expect(goTimeFormat('15h')(new Date(2024, 0, 1, 8))).toBe('08h');
  });

  it('tells a template from a format name', () => {
    expect(isFormatTemplate(PEER_DEFAULT)).toBe(true);
    expect(isFormatTemplate('json')).toBe(false);
    expect(isFormatTemplate('%{message}')).toBe(true);
    expect(isFormatTemplate('100%')).toBe(false);
  });
});
