/// <reference types="jest" />
import fc from 'fast-check';
import {
  combineRedactors,
  createProtocolLogger,
  createRedactor,
  REDACTED,
  resolveLogLevel,
} from '../src/logging/index.js';
import { AirbyteMessageSchema } from '../src/models/index.js';

type LogLine = { type: 'LOG'; log: { level: string; message: string; stack_trace?: string } };

function capture(opts: Omit<Parameters<typeof createProtocolLogger>[0], 'write'> = {}) {
  const lines: string[] = [];
  const logger = createProtocolLogger({ level: 'trace', ...opts, write: (line) => lines.push(line) });
  const parsed = () => lines.map((line) => JSON.parse(line) as LogLine);
  return { logger, lines, parsed };
}

describe('createProtocolLogger', () => {
  test('each call is one protocol LOG line, synchronously, without newline', () => {
    const { logger, lines, parsed } = capture();
    logger.info('hello %s', 'world');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('{"type":"LOG","log":{"level":"INFO","message":"hello world"}}');
    expect(lines[0]).not.toContain('\n');
    expect(AirbyteMessageSchema.safeParse(parsed()[0]).success).toBe(true);
  });

  test('maps every pino level', () => {
    const { logger, parsed } = capture();
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(parsed().map((line) => line.log.level)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARN',
      'ERROR',
      'FATAL',
    ]);
  });

  test('respects the level', () => {
    const { logger, parsed } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    expect(parsed().map((line) => line.log.message)).toEqual(['shown']);
  });

  test('level comes from LOG_LEVEL when not given, default info', () => {
    const previous = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = 'DEBUG';
      const lines: string[] = [];
      createProtocolLogger({ write: (line) => lines.push(line) }).debug('x');
      expect(lines).toHaveLength(1);
      delete process.env.LOG_LEVEL;
      expect(createProtocolLogger({ write: () => undefined }).level).toBe('info');
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
    expect(resolveLogLevel('Warning')).toBe('warn');
    expect(resolveLogLevel('nonsense')).toBe('info');
    expect(resolveLogLevel(undefined)).toBe('info');
  });

  test('bound and per-call fields are rendered compactly into the message', () => {
    const { logger, parsed } = capture({ bindings: { connector: 'scylla' } });
    logger
      .child({ stream: 'users' })
      .info({ rows: 10, table: 'my table', opts: { a: [1] }, ok: true }, 'flushed');
    expect(parsed()[0]?.log.message).toBe(
      'flushed connector=scylla stream=users rows=10 table="my table" opts={"a":[1]} ok=true',
    );
  });

  test('errors become stack_trace, their message joins the text', () => {
    const { logger, parsed } = capture();
    const inner = Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    const err = new Error('write failed', { cause: inner });
    logger.error(err);
    logger.error({ err }, 'flush of batch 3');
    logger.warn({ error: new Error('plain') }, 'with error key');
    const [first, second, third] = parsed();
    expect(first?.log).toMatchObject({ level: 'ERROR', message: 'write failed: connection reset' });
    expect(first?.log.stack_trace).toMatch(/^Error: write failed\n/);
    expect(first?.log.stack_trace).toContain('caused by: Error: connection reset');
    expect(second?.log.message).toBe('flush of batch 3: write failed: connection reset');
    expect(third?.log).toMatchObject({ level: 'WARN', message: 'with error key: plain' });
    expect(third?.log.stack_trace).toContain('Error: plain');
  });

  test('redacts messages, fields, error messages and stacks', () => {
    const { logger, lines } = capture({ redact: createRedactor(['s3cr3t-value']) });
    logger.info(
      { password: 's3cr3t-value', nested: { dsn: 'cql://u:s3cr3t-value@h' } },
      'using s3cr3t-value',
    );
    logger.error(new Error('auth failed for s3cr3t-value'));
    for (const line of lines) expect(line).not.toContain('s3cr3t-value');
    expect(lines.join('\n')).toContain(REDACTED);
  });

  test('a redactor swapped in later applies to later lines', () => {
    let current = createRedactor([]);
    const { logger, parsed } = capture({ redact: (s) => current(s) });
    logger.info('token abc123');
    current = createRedactor(['abc123']);
    logger.info('token abc123');
    expect(parsed().map((line) => line.log.message)).toEqual(['token abc123', `token ${REDACTED}`]);
  });

  test('property: a random secret embedded in a random message never appears in the output', () => {
    fc.assert(
      fc.property(
        // A secret containing "*" can reappear next to the "**********" mask itself, by construction.
        fc.string({ minLength: 3, maxLength: 30 }).filter((s) => !s.includes('*')),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        (secretValue, before, after) => {
          const { logger, lines } = capture({ redact: createRedactor([secretValue]) });
          const text = `${before}${secretValue}${after}`;
          logger.info({ field: text, obj: { deep: text } }, text);
          logger.error(new Error(text));
          for (const line of lines) {
            const log = (JSON.parse(line) as LogLine).log;
            expect(log.message).not.toContain(secretValue);
            expect(log.stack_trace ?? '').not.toContain(secretValue);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('createRedactor', () => {
  test('replaces every occurrence, longest secret first', () => {
    const redact = createRedactor(['abc', 'abcdef']);
    expect(redact('x abcdef y abc z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
  });

  test('ignores empty and very short secrets', () => {
    const redact = createRedactor(['', 'a', 'ab']);
    expect(redact('a b ab abc')).toBe('a b ab abc');
  });

  test('also matches JSON-escaped and URL-encoded forms', () => {
    const redact = createRedactor(['p"a\\ss w/rd']);
    expect(redact(JSON.stringify({ pw: 'p"a\\ss w/rd' }))).toBe(`{"pw":"${REDACTED}"}`);
    expect(redact(JSON.stringify(JSON.stringify({ pw: 'p"a\\ss w/rd' })))).not.toContain('ss w/rd');
    expect(redact(`https://u:${encodeURIComponent('p"a\\ss w/rd')}@host`)).toBe(`https://u:${REDACTED}@host`);
  });

  test('treats regex characters literally', () => {
    expect(createRedactor(['a.c+'])('abc+ a.c+')).toBe(`abc+ ${REDACTED}`);
  });

  test('combineRedactors applies each in turn', () => {
    const redact = combineRedactors(createRedactor(['one1']), createRedactor(['two2']));
    expect(redact('one1 two2')).toBe(`${REDACTED} ${REDACTED}`);
  });
});
