import { SystemError } from '@tributary/airbyte-protocol';
import { SenderThread } from '../src/sender-thread.js';

const options = {
  streamName: 's',
  mode: 'unordered' as const,
  maxRecordsPerRequest: 10,
  maxInFlight: 1,
  maxRetries: 0,
  retryBaseDelayMs: 1,
  retryMaxDelayMs: 1,
  aggregationMaxBytes: 1024,
};

describe('SenderThread', () => {
  test('when the thread dies, pending and later flushes fail with a system error; nothing reports success', async () => {
    // A worker that cannot start (no such file) stands for a thread that crashed.
    const thread = new SenderThread(
      { config: {}, maxSockets: 1, requestTimeoutMs: 1_000 },
      { info: () => undefined, warn: () => undefined },
      new URL('./no-such-worker.js', import.meta.url),
    );
    const sink = thread.open(options, 10);
    expect(sink.add(null, '{"a":1}')).toBe(0);
    const first = await sink.flush().then(
      () => null,
      (e: unknown) => e,
    );
    expect(first).toBeInstanceOf(SystemError);
    expect((first as SystemError).failureType).toBe('system_error');
    await expect(sink.flush()).rejects.toThrow(/sender thread/);
    expect(thread.failure).toBeInstanceOf(SystemError);
    await expect(sink.close()).resolves.toMatchObject({ recordsAcked: 0 });
    await thread.close();
  });
});
