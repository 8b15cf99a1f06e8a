import cassandra from 'cassandra-driver';
import { WriteExecutor, type WriteOp } from '../src/executor.js';

type Callback = (err: unknown) => void;

/** A stand-in for the driver session's execute(): scripted failures, a count of concurrent calls. */
function fakeClient(failuresFor: (op: unknown[], attempt: number) => unknown) {
  const attempts = new Map<unknown, number>();
  let active = 0;
  const state = { maxActive: 0, calls: 0 };
  const execute = (_q: string, params: unknown[], _o: unknown, cb?: Callback): Promise<void> | undefined => {
    state.calls++;
    active++;
    state.maxActive = Math.max(state.maxActive, active);
    const n = (attempts.get(params[0]) ?? 0) + 1;
    attempts.set(params[0], n);
    const err = failuresFor(params, n);
    const p = new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        active--;
        if (err) reject(err);
        else resolve();
      }, 1),
    );
    if (cb) {
      p.then(() => cb(null), cb);
      return undefined;
    }
    return p;
  };
  return { client: { execute } as unknown as cassandra.Client, state };
}

const ops = (n: number): WriteOp[] => Array.from({ length: n }, (_, i) => ({ query: 'INSERT', params: [i] }));
const timeout = () =>
  new cassandra.errors.ResponseError(cassandra.types.responseErrorCodes.writeTimeout, 'write timeout');
const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe('WriteExecutor', () => {
  it('keeps at most `concurrency` writes in flight and resolves when all are acknowledged', async () => {
    const { client, state } = fakeClient(() => null);
    const ex = new WriteExecutor(client, 8, {}, fast);
    await Promise.all([ex.submit(ops(100)), ex.submit(ops(50))]);
    expect(state.calls).toBe(150);
    expect(state.maxActive).toBeLessThanOrEqual(8);
  });

  it('retries transient errors and then succeeds', async () => {
    const { client, state } = fakeClient((_p, attempt) => (attempt < 3 ? timeout() : null));
    const ex = new WriteExecutor(client, 4, {}, fast);
    await ex.submit(ops(10));
    expect(state.calls).toBe(30);
    expect(ex.stats.retries).toBe(20);
  });

  it('gives up after the bound and rejects; never resolves with a missing row', async () => {
    const { client } = fakeClient((p) => (p[0] === 3 ? timeout() : null));
    const ex = new WriteExecutor(client, 4, {}, fast);
    await expect(ex.submit(ops(10))).rejects.toThrow(/gave up after 4 attempts/);
  });

  it('does not retry errors that will not go away', async () => {
    const { client, state } = fakeClient(
      () => new cassandra.errors.ResponseError(cassandra.types.responseErrorCodes.invalid, 'bad'),
    );
    const ex = new WriteExecutor(client, 1, {}, fast);
    await expect(ex.submit(ops(3))).rejects.toThrow('bad');
    expect(state.calls).toBe(1);
  });

  it('sends grouped rows as unlogged batches and retries a failed batch whole', async () => {
    const sent: Array<{ size: number; logged: unknown }> = [];
    let failures = 1;
    const batch = (queries: WriteOp[], options: { logged?: boolean }, cb: Callback) => {
      sent.push({ size: queries.length, logged: options.logged });
      setTimeout(() => cb(failures-- > 0 ? timeout() : null), 1);
    };
    const single = fakeClient(() => null);
    const client = Object.assign(single.client, { batch }) as cassandra.Client;
    // Concurrency counts rows: 16 rows in flight are two batches of 8.
    let active = 0;
    let maxActive = 0;
    const tracked = (queries: WriteOp[], options: { logged?: boolean }, cb: Callback) => {
      active += queries.length;
      maxActive = Math.max(maxActive, active);
      batch(queries, options, (err) => {
        active -= queries.length;
        cb(err);
      });
    };
    Object.assign(client, { batch: tracked });
    const ex = new WriteExecutor(client, 16, {}, fast);
    const sized = ops(20).map((o) => ({ ...o, bytes: 10 }));
    await ex.submit(sized, { maxRows: 8, maxBytes: 4096 });
    // 8 + 8 + 4, one of them retried once.
    expect(sent.map((b) => b.size).sort()).toEqual([4, 8, 8, 8]);
    expect(maxActive).toBe(16);
    expect(sent.every((b) => b.logged === false)).toBe(true);
    expect(ex.stats).toEqual({ writes: 20, requests: 4, retries: 1 });
    expect(single.state.calls).toBe(0);
  });
});
