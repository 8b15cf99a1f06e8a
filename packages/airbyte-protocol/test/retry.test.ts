/// <reference types="jest" />
import fc from 'fast-check';
import {
  ConfigError,
  classifyError,
  isRetryable,
  SystemError,
  TransientError,
  type TributaryError,
} from '../src/errors/index.js';
import { abortableSleep, backoffDelay, retry } from '../src/retry/index.js';

const networkError = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

function harness(random: () => number = () => 0.5) {
  const sleeps: number[] = [];
  const retries: Array<[unknown, number, number]> = [];
  const opts = {
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    onRetry: (err: unknown, attempt: number, delayMs: number) => {
      retries.push([err, attempt, delayMs]);
    },
  };
  return { opts, sleeps, retries };
}

describe('backoffDelay', () => {
  test('full jitter within [0, min(max, base * 2^(attempt-1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, max, r) => {
          const delay = backoffDelay(attempt, base, max, () => r);
          const cap = base === 0 ? 0 : Math.min(max, base * 2 ** (attempt - 1));
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });

  test('extremes of the random source hit both ends', () => {
    expect(backoffDelay(1, 100, 1000, () => 0)).toBe(0);
    expect(backoffDelay(1, 100, 1000, () => 0.999999)).toBe(100);
    expect(backoffDelay(3, 100, 1000, () => 0.999999)).toBe(400);
    expect(backoffDelay(10, 100, 1000, () => 0.999999)).toBe(1000);
    expect(backoffDelay(5000, 100, 1000, () => 0.999999)).toBe(1000);
  });

  test('tolerates bad random values and attempt numbers', () => {
    expect(backoffDelay(2, 100, 1000, () => Number.NaN)).toBe(0);
    expect(backoffDelay(2, 100, 1000, () => 7)).toBe(200);
    expect(backoffDelay(0, 100, 1000, () => 0.999999)).toBe(100);
  });
});

describe('retry', () => {
  test('returns the first success and passes the attempt number', async () => {
    const { opts, sleeps } = harness();
    const seen: number[] = [];
    const result = await retry(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw networkError();
      return 'ok';
    }, opts);
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([50, 100]); // 0.5 * 100, 0.5 * 200
  });

  test('calls onRetry with error, failed attempt and delay', async () => {
    const { opts, retries } = harness(() => 0);
    const err = networkError();
    await retry(async (attempt) => {
      if (attempt === 1) throw err;
      return 1;
    }, opts);
    expect(retries).toEqual([[err, 1, 0]]);
  });

  test('does not retry non-retryable errors and rethrows them as they are', async () => {
    const { opts, sleeps } = harness();
    const err = new ConfigError('bad keyspace');
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw err;
      }, opts),
    ).rejects.toBe(err);
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  test('exhaustion: a TransientError naming the attempts, cause = last error, no extra retry nesting', async () => {
    const { opts, sleeps } = harness(() => 0.999999);
    const errors: Error[] = [];
    const failure = await retry(async () => {
      const err = networkError();
      errors.push(err);
      throw err;
    }, opts).catch((err: unknown) => err);
    expect(errors).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(failure).toBeInstanceOf(TransientError);
    const transient = failure as TransientError;
    expect(transient.message).toBe('read ECONNRESET (gave up after 4 attempts)');
    expect(transient.cause).toBe(errors[3]);
    expect(classifyError(transient)).toBe('transient_error');
    expect(transient.retryable).toBe(false);
    expect(isRetryable(transient)).toBe(false);
  });

  test('exhaustion keeps the failure type of an explicitly classified error and its stream', async () => {
    const { opts } = harness();
    const stream = { name: 'users' };
    const config = await retry(
      async () => {
        throw new ConfigError('quota exceeded', { streamDescriptor: stream });
      },
      { ...opts, maxAttempts: 2, isRetryable: () => true },
    ).catch((err: unknown) => err);
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as ConfigError).streamDescriptor).toBe(stream);
    const system = await retry(
      async () => {
        throw new SystemError('odd');
      },
      { ...opts, maxAttempts: 2, isRetryable: () => true },
    ).catch((err: unknown) => err);
    expect(system).toBeInstanceOf(SystemError);
    expect((system as TributaryError).message).toBe('odd (gave up after 2 attempts)');
  });

  test('a plain error deemed retryable by a custom predicate becomes transient on exhaustion', async () => {
    const { opts } = harness();
    const failure = await retry(
      async () => {
        throw new Error('flaky');
      },
      { ...opts, maxAttempts: 1, isRetryable: () => true },
    ).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).message).toBe('flaky (gave up after 1 attempt)');
  });

  test('property: never more than maxAttempts calls, sleeps between them within bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 5000 }),
        async (maxAttempts, failures, base, max) => {
          const sleeps: number[] = [];
          let calls = 0;
          const outcome = await retry(
            async () => {
              calls++;
              if (calls <= failures) throw networkError();
              return 'done';
            },
            { maxAttempts, baseDelayMs: base, maxDelayMs: max, sleep: async (ms) => void sleeps.push(ms) },
          ).catch((err: unknown) => err);
          expect(calls).toBe(Math.min(maxAttempts, failures + 1));
          expect(sleeps).toHaveLength(calls - 1);
          sleeps.forEach((ms, i) => {
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(ms).toBeLessThanOrEqual(Math.min(max, base * 2 ** i));
          });
          if (failures >= maxAttempts) expect(outcome).toBeInstanceOf(TransientError);
          else expect(outcome).toBe('done');
        },
      ),
    );
  });

  test('stops when the signal is aborted, with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('shutdown');
    let calls = 0;
    const failure = await retry(
      async () => {
        calls++;
        throw networkError();
      },
      {
        maxAttempts: 10,
        baseDelayMs: 1,
        maxDelayMs: 1,
        signal: controller.signal,
        sleep: async () => controller.abort(reason),
      },
    ).catch((err: unknown) => err);
    expect(failure).toBe(reason);
    expect(calls).toBe(1);

    const aborted = AbortSignal.abort(reason);
    await expect(
      retry(async () => 1, { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, signal: aborted }),
    ).rejects.toBe(reason);
  });

  test('rejects a nonsensical maxAttempts', async () => {
    await expect(retry(async () => 1, { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('abortableSleep', () => {
  test('resolves after the delay, rejects with the reason when aborted', async () => {
    await expect(abortableSleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await expect(abortableSleep(1, AbortSignal.abort('why'))).rejects.toBe('why');
  });
});
