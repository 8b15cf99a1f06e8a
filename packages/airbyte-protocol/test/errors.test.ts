/// <reference types="jest" />
import {
  ConfigError,
  classifyError,
  errorMessage,
  errorMessageChain,
  errorStack,
  errorTraceMessage,
  isRetryable,
  isTributaryError,
  SystemError,
  TransientError,
  TributaryError,
} from '../src/errors/index.js';
import { createRedactor } from '../src/logging/index.js';
import { AirbyteMessageSchema } from '../src/models/index.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
const awsError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 }, ...extra });
const withStatus = (status: number) =>
  Object.assign(new Error(`HTTP ${status}`), { $metadata: { httpStatusCode: status } });

describe('TributaryError family', () => {
  test('failure types, retryable defaults and options', () => {
    const cause = new Error('root');
    const config = new ConfigError('bad port', { cause, internalMessage: 'port=abc' });
    expect(config).toBeInstanceOf(TributaryError);
    expect(config).toBeInstanceOf(Error);
    expect(config).toMatchObject({
      name: 'ConfigError',
      failureType: 'config_error',
      retryable: false,
      message: 'bad port',
    });
    expect(config.cause).toBe(cause);
    expect(config.internalMessage).toBe('port=abc');
    expect(new TransientError('t')).toMatchObject({
      name: 'TransientError',
      failureType: 'transient_error',
      retryable: true,
    });
    expect(new SystemError('s')).toMatchObject({
      name: 'SystemError',
      failureType: 'system_error',
      retryable: false,
    });
    expect(new TransientError('t', { retryable: false }).retryable).toBe(false);
    const stream = { name: 'users', namespace: 'ks' };
    expect(new SystemError('s', { streamDescriptor: stream }).streamDescriptor).toBe(stream);
    expect('cause' in new SystemError('no cause')).toBe(false);
  });

  test('isTributaryError recognises errors of another copy of the package by brand', () => {
    expect(isTributaryError(new ConfigError('x'))).toBe(true);
    expect(isTributaryError(new Error('x'))).toBe(false);
    expect(isTributaryError({ failureType: 'config_error' })).toBe(false);
    const foreign = Object.create({ [Symbol.for('@tributary/airbyte-protocol/TributaryError')]: true });
    Object.assign(foreign, { failureType: 'transient_error', retryable: true, message: 'x' });
    expect(isTributaryError(foreign)).toBe(true);
    expect(classifyError(foreign)).toBe('transient_error');
  });
});

describe('classifyError and isRetryable', () => {
  test.each<[string, unknown, 'config_error' | 'system_error' | 'transient_error', boolean]>([
    ['ConfigError', new ConfigError('x'), 'config_error', false],
    ['TransientError', new TransientError('x'), 'transient_error', true],
    ['SystemError', new SystemError('x'), 'system_error', false],
    ['plain Error', new Error('x'), 'system_error', false],
    ['TypeError', new TypeError('x'), 'system_error', false],
    ['string', 'boom', 'system_error', false],
    ['undefined', undefined, 'system_error', false],
    ['ECONNREFUSED', withCode('ECONNREFUSED'), 'transient_error', true],
    ['ECONNRESET', withCode('ECONNRESET'), 'transient_error', true],
    ['ETIMEDOUT', withCode('ETIMEDOUT'), 'transient_error', true],
    ['EPIPE', withCode('EPIPE'), 'transient_error', true],
    ['EAI_AGAIN', withCode('EAI_AGAIN'), 'transient_error', true],
    ['ENOTFOUND (a typo, not a blip)', withCode('ENOTFOUND'), 'system_error', false],
    ['ThrottlingException', awsError('ThrottlingException'), 'transient_error', true],
    [
      'ProvisionedThroughputExceededException',
      awsError('ProvisionedThroughputExceededException'),
      'transient_error',
      true,
    ],
    ['RequestLimitExceeded', awsError('RequestLimitExceeded'), 'transient_error', true],
    ['$retryable', awsError('SomeServiceError', { $retryable: {} }), 'transient_error', true],
    ['$retryable throttling', awsError('X', { $retryable: { throttling: true } }), 'transient_error', true],
    ['ValidationException', awsError('ValidationException'), 'system_error', false],
    ['HTTP 429', withStatus(429), 'transient_error', true],
    ['HTTP 500', withStatus(500), 'transient_error', true],
    ['HTTP 503', withStatus(503), 'transient_error', true],
    ['HTTP 501', withStatus(501), 'system_error', false],
    ['HTTP 400', withStatus(400), 'system_error', false],
    ['HTTP 403', withStatus(403), 'system_error', false],
    [
      'TimeoutError (AbortSignal.timeout)',
      Object.assign(new Error('t'), { name: 'TimeoutError' }),
      'transient_error',
      true,
    ],
    [
      'cause chain with a network error',
      new Error('query failed', { cause: withCode('ECONNRESET') }),
      'transient_error',
      true,
    ],
    [
      'ConfigError wrapping a network error',
      new ConfigError('bad host', { cause: withCode('ECONNREFUSED') }),
      'config_error',
      false,
    ],
    [
      'plain wrapper of a ConfigError',
      new Error('outer', { cause: new ConfigError('inner') }),
      'config_error',
      false,
    ],
    [
      'AggregateError of network errors',
      Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ENETUNREACH')], 'connect')),
      'transient_error',
      true,
    ],
    [
      'AggregateError with a non-retryable member',
      new AggregateError([withCode('ECONNREFUSED'), new Error('x')]),
      'system_error',
      false,
    ],
  ])('%s', (_name, err, failureType, retryable) => {
    expect(classifyError(err)).toBe(failureType);
    expect(isRetryable(err)).toBe(retryable);
  });

  test('a cyclic cause chain terminates', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(classifyError(a)).toBe('system_error');
    expect(isRetryable(a)).toBe(false);
    expect(errorMessageChain(a)).toBe('a: b');
  });

  test('a throwing getter does not break classification', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'code', {
      get() {
        throw new Error('nope');
      },
    });
    expect(classifyError(hostile)).toBe('system_error');
  });
});

describe('errorMessage', () => {
  test.each<[unknown, string]>([
    [new Error('plain'), 'plain'],
    ['a string', 'a string'],
    [{ message: 'object with message' }, 'object with message'],
    [Object.assign(new Error(''), { name: 'ThrottlingException' }), 'ThrottlingException'],
    [{ code: 'ECONNRESET' }, 'ECONNRESET'],
    [{ a: 1 }, '{"a":1}'],
    [42, '42'],
    [null, 'null'],
    [undefined, 'undefined'],
  ])('%p', (err, expected) => {
    expect(errorMessage(err)).toBe(expected);
  });

  test('never throws', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(typeof errorMessage(circular)).toBe('string');
    const hostile = {
      get message(): string {
        throw new Error('no');
      },
      toString() {
        throw new Error('no');
      },
    };
    expect(typeof errorMessage(hostile)).toBe('string');
    expect(errorMessage(Object.create(null))).toBe('Unknown error');
    expect(errorMessage({})).toBe('Unknown error');
  });

  test('errorStack includes causes', () => {
    const stack = errorStack(new Error('outer', { cause: new Error('inner') }));
    expect(stack).toMatch(/^Error: outer\n/);
    expect(stack).toContain('Caused by: Error: inner');
  });
});

describe('errorTraceMessage', () => {
  test('builds a TRACE ERROR with user message, internal message, stack and failure type', () => {
    const err = new TransientError('Scylla is unavailable', {
      cause: withCode('ECONNRESET', 'read ECONNRESET'),
      streamDescriptor: { name: 'users', namespace: 'ks' },
    });
    const message = errorTraceMessage(err, (s) => s, 123);
    expect(AirbyteMessageSchema.safeParse(message).success).toBe(true);
    expect(message.trace).toMatchObject({
      type: 'ERROR',
      emitted_at: 123,
      error: {
        message: 'Scylla is unavailable',
        internal_message: 'Scylla is unavailable: read ECONNRESET',
        failure_type: 'transient_error',
        stream_descriptor: { name: 'users', namespace: 'ks' },
      },
    });
    expect(message.trace.error?.stack_trace).toContain('Caused by: Error: read ECONNRESET');
  });

  test('uses internalMessage and the stream of a wrapped TributaryError', () => {
    const inner = new ConfigError('keyspace missing', {
      internalMessage: 'ks=x',
      streamDescriptor: { name: 's' },
    });
    const message = errorTraceMessage(new Error('wrapper', { cause: inner }));
    expect(message.trace.error).toMatchObject({
      message: 'wrapper',
      internal_message: 'ks=x',
      failure_type: 'config_error',
      stream_descriptor: { name: 's' },
    });
  });

  test('redacts message, internal message and stack', () => {
    const secret = 'pa55-w0rd-123';
    const err = new Error(`login with ${secret} failed`, { cause: new Error(`server said ${secret}`) });
    const message = errorTraceMessage(err, createRedactor([secret]));
    expect(JSON.stringify(message)).not.toContain(secret);
    expect(message.trace.error?.message).toBe('login with ********** failed');
  });
});
