import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RequestGate, type WriteEntry } from '../src/batch-writer.js';
import { PREBUILT_BODY } from '../src/client.js';

type Request = { RequestItems: Record<string, Array<{ PutRequest?: { Item: any } }>> };

/** A stand-in client: `answer` decides each BatchWriteItem's outcome. */
function fakeClient(answer: (req: Request, call: number) => Promise<unknown> | unknown) {
  const calls: Request[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    async send(command: { input: Request & { [PREBUILT_BODY]?: string } }) {
      // The gate sends its own JSON body; the SDK input is an empty placeholder.
      const body = command.input[PREBUILT_BODY];
      const request = body === undefined ? command.input : (JSON.parse(body) as Request);
      calls.push(request);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 2));
        return await answer(request, calls.length);
      } finally {
        inFlight--;
      }
    },
  } as unknown as DynamoDBClient;
  return { client, calls, maxInFlight: () => maxInFlight };
}

const entries = (n: number, wire = 100): WriteEntry[] =>
  Array.from({ length: n }, (_, i) => ({ put: { id: { S: String(i) } }, wire }));
const ids = (req: Request) =>
  Object.values(req.RequestItems)[0]!.map((r) => r.PutRequest!.Item.id.S as string);
const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe('RequestGate.batchWrite', () => {
  test('batches of at most 25 items, in parallel within the concurrency bound', async () => {
    const fake = fakeClient(() => ({}));
    const gate = new RequestGate(fake.client, 4, fast, 'test');
    await gate.batchWrite('t', entries(260));
    expect(fake.calls.map((c) => ids(c).length)).toEqual([...Array(10).fill(25), 10]);
    expect(fake.maxInFlight()).toBe(4);
    expect(gate.stats.itemsWritten).toBe(260);
  });

  test('batches are cut by estimated request size too', async () => {
    const fake = fakeClient(() => ({}));
    const gate = new RequestGate(fake.client, 4, fast, 'test');
    await gate.batchWrite('t', entries(10, 5 * 1024 * 1024));
    expect(fake.calls.map((c) => ids(c).length)).toEqual([2, 2, 2, 2, 2]);
  });

  test('only the UnprocessedItems are sent again, until none is left', async () => {
    const fake = fakeClient((req, call) => {
      const items = Object.values(req.RequestItems)[0]!;
      return call <= 3 ? { UnprocessedItems: { t: items.slice(Math.ceil(items.length / 2)) } } : {};
    });
    const gate = new RequestGate(fake.client, 1, fast, 'test');
    await gate.batchWrite('t', entries(20));
    expect(fake.calls.map((c) => ids(c).length)).toEqual([20, 10, 5, 2]);
    expect(ids(fake.calls[1]!)).toEqual(ids(fake.calls[0]!).slice(10));
    expect(gate.stats.itemsWritten).toBe(20);
    expect(gate.stats.unprocessed).toBe(10 + 5 + 2);
  });

  test('throttling errors are retried; past the bound without progress the batch fails, naming the table', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    let fail = 2;
    const fake = fakeClient(() => {
      if (fail-- > 0) throw throttled;
      return {};
    });
    const gate = new RequestGate(fake.client, 1, fast, 'test');
    await gate.batchWrite('t', entries(5));
    expect(fake.calls).toHaveLength(3);
    expect(gate.stats.retriedErrors).toBe(2);

    const always = fakeClient(() => {
      throw throttled;
    });
    const stuck = new RequestGate(always.client, 1, fast, 'test');
    await expect(stuck.batchWrite('orders', entries(5))).rejects.toThrow(
      /did not accept 5 item\(s\) of table orders after 3 attempts with backoff \(ProvisionedThroughputExceededException/,
    );
    expect(always.calls).toHaveLength(3);
  });

  test('a batch that keeps coming back whole fails after the bound; partial progress does not count', async () => {
    const fake = fakeClient((req) => ({ UnprocessedItems: req.RequestItems }));
    const gate = new RequestGate(fake.client, 1, fast, 'test');
    await expect(gate.batchWrite('t', entries(3))).rejects.toThrow(/UnprocessedItems/);
    expect(fake.calls).toHaveLength(3);

    // One item written per call: slow, never failing.
    const slow = fakeClient((req) => {
      const items = Object.values(req.RequestItems)[0]!;
      return items.length > 1 ? { UnprocessedItems: { t: items.slice(1) } } : {};
    });
    const patient = new RequestGate(slow.client, 1, fast, 'test');
    await patient.batchWrite('t', entries(8));
    expect(slow.calls).toHaveLength(8);
  });

  test("a non-retryable error fails at once with DynamoDB's message", async () => {
    const fake = fakeClient(() => {
      throw Object.assign(new Error('One or more parameter values were invalid'), {
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      });
    });
    const gate = new RequestGate(fake.client, 1, fast, 'test');
    await expect(gate.batchWrite('t', entries(1))).rejects.toThrow(
      'DynamoDB BatchWriteItem on table t failed: ValidationException: One or more parameter values were invalid',
    );
    expect(fake.calls).toHaveLength(1);
  });
});
