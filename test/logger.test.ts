import {
  configureLogging,
  createLogger,
  formatJson,
  formatText,
  getLogSink,
  jsonSink,
  newLogger,
  parseLevel,
  setLogSink,
  shimLogger,
  shortTxId,
  sinkFromEnv,
  textSink,
  transactionLogger,
  type LogRecord,
  type LogSink,
} from '../src/logger';

/** Captures records; restores the previous sink after each test. */
function capture(): LogRecord[] {
  const records: LogRecord[] = [];
  setLogSink({ write: (r) => void records.push(r) });
  return records;
}

const saved = getLogSink();
const savedEnv = { ...process.env };
afterEach(() => {
  setLogSink(saved);
  process.env = { ...savedEnv };
});

describe('Fabric level names', () => {
  it.each([
    ['CRITICAL', 'critical'],
    ['critical', 'critical'],
    ['FATAL', 'critical'],
    ['PANIC', 'critical'],
    ['ERROR', 'error'],
    ['WARNING', 'warn'],
    ['warn', 'warn'],
    ['NOTICE', 'notice'],
    ['INFO', 'info'],
    [' debug ', 'debug'],
  ])('%s -> %s', (name, ours) => expect(parseLevel(name)).toBe(ours));

  it.each([[undefined], [''], ['TRACE'], ['verbose'], ['info:shim=debug']])('%s is unknown', (name) => {
    expect(parseLevel(name)).toBeUndefined();
  });

  it('CORE_CHAINCODE_LOGGING_LEVEL sets chaincode loggers, default INFO', () => {
    delete process.env.CORE_CHAINCODE_LOGGING_LEVEL;
    expect(newLogger('a').level).toBe('info');
    process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'WARNING';
    expect(newLogger('a').level).toBe('warn');
    process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'nonsense';
    expect(newLogger('a').level).toBe('info');
  });

  it('CORE_CHAINCODE_LOGGING_SHIM sets the shim loggers, default WARNING; the two do not mix', () => {
    delete process.env.CORE_CHAINCODE_LOGGING_SHIM;
    process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'DEBUG';
    expect(shimLogger('handler').level).toBe('warn');
    expect(shimLogger('handler').name).toBe('shim:handler');
    process.env.CORE_CHAINCODE_LOGGING_SHIM = 'debug';
    process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'ERROR';
    expect(shimLogger('handler').level).toBe('debug');
    expect(newLogger('cc').level).toBe('error');
  });

  it('each level writes itself and everything more severe, nothing less severe', () => {
    const records = capture();
    const log = createLogger('t', { level: 'NOTICE' });
    log.debug('d');
    log.info('i');
    log.notice('n');
    log.warn('w');
    log.warning('w2');
    log.error('e');
    log.critical('c');
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      ['notice', 'n'],
      ['warn', 'w'],
      ['warn', 'w2'],
      ['error', 'e'],
      ['critical', 'c'],
    ]);
    expect(log.enabled('notice')).toBe(true);
    expect(log.enabled('info')).toBe(false);
  });

  it('a disabled call does not look at its arguments', () => {
    const records = capture();
    const log = createLogger('t', { level: 'ERROR' });
    const fields = {
      get boom(): string {
        throw new Error('read');
      },
    };
    expect(() => log.debug('x', fields as never)).not.toThrow();
    expect(records).toHaveLength(0);
  });
});

describe('fabric-shim (winston) compatibility', () => {
  it('accepts winston level names on `level` and ignores unknown ones', () => {
    const log = createLogger('t');
    log.level = 'verbose';
    expect(log.level).toBe('debug');
    log.level = 'WARNING';
    expect(log.level).toBe('warn');
    log.level = 'bogus';
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('error')).toBe(true);
    expect(log.isLevelEnabled('silly')).toBe(false);
  });

  it('log(level, ...) and loose arguments: fields, errors, strings, objects', () => {
    const records = capture();
    const log = createLogger('t', { level: 'debug' });
    const err = new Error('bad thing');
    log.log('info', 'hello', { user: 'u1', n: 2 });
    log.error('failed', err);
    log.info('values', 'a', 3, { nested: { x: 1 } });
    log.debug(err);
    expect(records[0]).toMatchObject({ level: 'info', msg: 'hello', fields: { user: 'u1', n: 2 } });
    expect(records[1]).toMatchObject({ level: 'error', msg: 'failed', fields: { error: 'bad thing' } });
    expect(records[1]?.error).toBe(err);
    expect(records[2]?.msg).toBe('values a 3 {"nested":{"x":1}}');
    expect(records[3]).toMatchObject({ msg: 'bad thing' });
    expect(records[3]?.error).toBe(err);
  });

  it('writes byte arrays as their size, never their content', () => {
    const records = capture();
    const log = createLogger('t', { level: 'debug' });
    const secret = Buffer.from('top-secret-value');
    log.info(secret);
    log.info('value', secret, { wrapped: { v: secret, u: new Uint8Array(3) } });
    const all = records.map((r) => formatText(r) + formatJson(r)).join('');
    expect(all).not.toContain('top-secret');
    expect(records[0]?.msg).toBe('[16 bytes]');
    expect(records[1]?.msg).toBe('value [16 bytes] {"wrapped":{"v":"[16 bytes]","u":"[3 bytes]"}}');
  });

  it('survives cycles', () => {
    const records = capture();
    const a: Record<string, unknown> = { k: 1 };
    a.self = a;
    createLogger('t').info('cyc', a);
    expect(records[0]?.msg).toBe('cyc {"k":1,"self":"[Circular]"}');
  });
});

describe('children and transaction loggers', () => {
  it('a child adds fields and shares its parent level', () => {
    const records = capture();
    const parent = createLogger('p', { level: 'info', fields: { a: 1 } });
    const child = parent.child({ b: 'two' });
    child.info('m', { c: true });
    parent.level = 'error';
    child.info('dropped');
    expect(child.level).toBe('error');
    expect(records).toHaveLength(1);
    expect(records[0]?.fields).toEqual({ a: 1, b: 'two', c: true });
    expect(records[0]?.logger).toBe('p');
  });

  it('transactionLogger: channel, short txid (8 chars, as fabric-shim), function resolved lazily once', () => {
    const records = capture();
    let calls = 0;
    const fn = (): string => {
      calls++;
      return 'transfer';
    };
    const log = transactionLogger(createLogger('h', { level: 'info' }), 'mychannel', '0123456789abcdef', fn);
    log.debug('not written');
    expect(calls).toBe(0);
    log.info('one');
    log.info('two', { key: 'k1' });
    expect(calls).toBe(1);
    expect(records.map((r) => r.fields)).toEqual([
      { channel: 'mychannel', txid: '01234567', fn: 'transfer' },
      { channel: 'mychannel', txid: '01234567', fn: 'transfer', key: 'k1' },
    ]);
    expect(shortTxId('abc')).toBe('abc');
  });

  it('a function name that cannot be decoded leaves the field out', () => {
    const records = capture();
    const log = transactionLogger(createLogger('h'), 'ch', 'tx', () => {
      throw new Error('malformed args');
    });
    log.info('still logged');
    expect(records[0]?.fields).toEqual({ channel: 'ch', txid: 'tx' });
  });
});

describe('formats', () => {
  const record: LogRecord = {
    time: new Date('2024-05-01T10:00:00.000Z'),
    level: 'warn',
    logger: 'shim:handler',
    msg: 'line\nforged',
    fields: { channel: 'ch', txid: '01234567', note: 'two words', empty: '', n: 3, gone: undefined, msg: 'shadow' },
  };

  it('text: Fabric level names, one line, quoted values', () => {
    expect(formatText(record)).toBe(
      '2024-05-01T10:00:00.000Z WARNING [shim:handler] line\\nforged channel=ch txid=01234567 note="two words" empty="" n=3 msg=shadow\n',
    );
  });

  it('json: one object per line; fields cannot overwrite the fixed keys', () => {
    const line = formatJson(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim()).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      ts: '2024-05-01T10:00:00.000Z',
      level: 'warn',
      logger: 'shim:handler',
      msg: 'line\nforged',
      channel: 'ch',
      txid: '01234567',
      note: 'two words',
      empty: '',
      n: 3,
      _msg: 'shadow',
    });
  });

  it('json includes the stack of an error', () => {
    const error = new Error('boom');
    const parsed = JSON.parse(formatJson({ ...record, fields: {}, error })) as { stack?: string };
    expect(parsed.stack).toContain('Error: boom');
  });

  it('CORE_CHAINCODE_LOGGING_FORMAT=json selects JSON; no value or a plain word selects text', () => {
    expect(sinkFromEnv({ CORE_CHAINCODE_LOGGING_FORMAT: 'JSON' })).toBe(jsonSink);
    expect(sinkFromEnv({ CORE_CHAINCODE_LOGGING_FORMAT: 'text' })).toBe(textSink);
    expect(sinkFromEnv({})).toBe(textSink);
  });

  it('a peer format template in CORE_CHAINCODE_LOGGING_FORMAT is honoured', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const sink = sinkFromEnv({ CORE_CHAINCODE_LOGGING_FORMAT: '[%{module}] %{level:.4s} %{message}' });
      expect([jsonSink, textSink]).not.toContain(sink);
      sink.write({ ...record, msg: 'hi', fields: { k: 'v' } });
      expect(spy.mock.calls.map((c) => String(c[0]))).toEqual(['[shim:handler] WARN hi k=v\n']);
    } finally {
      spy.mockRestore();
    }
  });

  it('configureLogging picks a format or a custom sink', () => {
    configureLogging({ format: 'json' });
    expect(getLogSink()).toBe(jsonSink);
    const sink: LogSink = { write: () => undefined };
    configureLogging({ format: 'text', sink });
    expect(getLogSink()).toBe(sink);
  });

  it('the default sinks write one line to stderr', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      setLogSink(jsonSink);
      createLogger('x').info('hello', { k: 'v' });
      setLogSink(textSink);
      createLogger('x').info('hello', { k: 'v' });
      const lines = spy.mock.calls.map((c) => String(c[0]));
      expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 'info', logger: 'x', msg: 'hello', k: 'v' });
      expect(lines[1]).toMatch(/^\S+ INFO \[x\] hello k=v\n$/);
    } finally {
      spy.mockRestore();
    }
  });
});
