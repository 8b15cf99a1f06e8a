import { awsError, type FaultPolicy, startFaultProxy } from '@tributary/testkit';
import {
  baseConfig,
  closeDdb,
  dataOf,
  endpoint,
  logs,
  rec,
  scanTable,
  states,
  streamState,
  tablesWithPrefix,
  traces,
  uniquePrefix,
  runWrite,
} from './helpers.js';

const THROTTLED = awsError(
  'ProvisionedThroughputExceededException',
  'The level of configured provisioned throughput for the table was exceeded.',
);

afterAll(() => closeDdb(), 60_000);

/** 1 in 3 BatchWriteItem calls throttled; 1 in 3 has half its items sent and half returned as UnprocessedItems. */
const flaky: FaultPolicy = (req) => {
  if (req.operation !== 'BatchWriteItem') return { action: 'forward' };
  if (req.count % 3 === 1) return { action: 'respond', status: 400, body: THROTTLED };
  if (req.count % 3 === 2) {
    const body = req.body as { RequestItems: Record<string, unknown[]> };
    const [table, requests] = Object.entries(body.RequestItems)[0]!;
    const half = Math.ceil(requests.length / 2);
    if (requests.length < 2) return { action: 'forward' };
    return {
      action: 'forward',
      body: { ...body, RequestItems: { [table]: requests.slice(0, half) } },
      rewriteResponse: (out) => ({ ...(out as object), UnprocessedItems: { [table]: requests.slice(half) } }),
    };
  }
  return { action: 'forward' };
};

describe('throttling and UnprocessedItems, provoked through a fault proxy in front of DynamoDB Local', () => {
  test('retried with backoff until written: nothing lost, every state released', async () => {
    const proxy = await startFaultProxy(endpoint(), flaky);
    try {
      const p = uniquePrefix('flaky');
      const n = 2_000;
      const input: string[] = [];
      for (let i = 0; i < n; i++) {
        input.push(rec('s', { id: i, v: `value ${i}` }));
        if (i % 250 === 249) input.push(streamState('s', { upTo: i }));
      }
      const r = await runWrite(
        baseConfig(p, { dynamodb_endpoint: proxy.endpoint }),
        [{ name: 's', properties: { id: { type: 'integer' } } }],
        input.join(''),
      );
      expect(r.code).toBe(0);
      expect(traces(r)).toEqual([]);
      expect(states(r).map((s) => s.stream.stream_state.upTo)).toEqual(
        Array.from({ length: 8 }, (_, i) => i * 250 + 249),
      );
      expect(proxy.injected.get('BatchWriteItem')).toBeGreaterThan(20);
      const summary = logs(r).find((m) => m.startsWith('DynamoDB: '))!;
      const [, unprocessed, retried] = /(\d+) unprocessed item\(s\) and (\d+) throttled/.exec(summary)!;
      expect(Number(unprocessed)).toBeGreaterThan(0);
      expect(Number(retried)).toBeGreaterThan(0);
      const ids = dataOf(await scanTable(`${p}_s`)).map((d) => d.id);
      expect(ids).toHaveLength(n);
      expect(new Set(ids).size).toBe(n);
    } finally {
      await proxy.close();
    }
  });

  test('throttled past the retry bound: TRACE transient_error, non-zero exit, no state for unwritten records', async () => {
    const proxy = await startFaultProxy(endpoint(), (req) =>
      req.operation === 'BatchWriteItem'
        ? { action: 'respond', status: 400, body: THROTTLED }
        : { action: 'forward' },
    );
    try {
      const p = uniquePrefix('throttled');
      const r = await runWrite(
        baseConfig(p, { dynamodb_endpoint: proxy.endpoint, retry_max_attempts: 3 }),
        [{ name: 's' }],
        rec('s', { id: 1 }) + rec('s', { id: 2 }) + streamState('s', { n: 1 }),
      );
      expect(r.code).toBe(1);
      expect(states(r)).toEqual([]);
      const errors = traces(r).filter((t) => t.type === 'ERROR');
      expect(errors).toHaveLength(1);
      expect(errors[0].error.failure_type).toBe('transient_error');
      expect(errors[0].error.message).toMatch(
        new RegExp(
          `DynamoDB did not accept 2 item\\(s\\) of table ${p}_s after 3 attempts with backoff \\(ProvisionedThroughputExceededException`,
        ),
      );
      expect(proxy.counts.get('BatchWriteItem')).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  test('items returned as UnprocessedItems past the bound: the sync fails rather than dropping them', async () => {
    const proxy = await startFaultProxy(endpoint(), (req) =>
      req.operation === 'BatchWriteItem'
        ? {
            action: 'respond',
            status: 200,
            body: { UnprocessedItems: (req.body as { RequestItems: unknown }).RequestItems },
          }
        : { action: 'forward' },
    );
    try {
      const p = uniquePrefix('unproc');
      const r = await runWrite(
        baseConfig(p, { dynamodb_endpoint: proxy.endpoint, retry_max_attempts: 4 }),
        [{ name: 's' }],
        rec('s', { id: 1 }) + streamState('s', { n: 1 }),
      );
      expect(r.code).toBe(1);
      expect(states(r)).toEqual([]);
      const error = traces(r).find((t) => t.type === 'ERROR')!.error;
      expect(error.message).toMatch(/did not accept 1 item\(s\) .* after 4 attempts .*UnprocessedItems/);
      expect(await tablesWithPrefix(p)).toEqual([`${p}_s`]);
      expect(await scanTable(`${p}_s`)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  test('a request DynamoDB refuses as invalid fails the sync at once with its message', async () => {
    const proxy = await startFaultProxy(endpoint(), (req) =>
      req.operation === 'BatchWriteItem'
        ? {
            action: 'respond',
            status: 400,
            body: awsError('ValidationException', 'Item size has exceeded the maximum allowed size'),
          }
        : { action: 'forward' },
    );
    try {
      const p = uniquePrefix('invalid');
      const r = await runWrite(
        baseConfig(p, { dynamodb_endpoint: proxy.endpoint }),
        [{ name: 's' }],
        rec('s', { id: 1 }),
      );
      expect(r.code).toBe(1);
      const error = traces(r).find((t) => t.type === 'ERROR')!.error;
      expect(error.failure_type).toBe('system_error');
      expect(error.message).toMatch(
        /BatchWriteItem on table .*_s failed: ValidationException: Item size has exceeded/,
      );
      expect(proxy.counts.get('BatchWriteItem')).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
