import { PassThrough, Writable } from 'node:stream';
import pino from 'pino';
import type { DestinationWriter, StreamLoader } from '../src/index.js';
import { NdjsonWriter, runWritePipeline } from '../src/index.js';

const catalog = (names: string[], mode = 'append', extra: Record<string, unknown> = {}) => ({
  streams: names.map((name) => ({
    stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh' as const] },
    sync_mode: 'full_refresh' as const,
    destination_sync_mode: mode as 'append',
    ...extra,
  })),
});
const rec = (stream: string, id: number) =>
  JSON.stringify({ type: 'RECORD', record: { stream, data: { id }, emitted_at: 1 } });
const state = (stream: string | null, id: number) =>
  JSON.stringify({
    type: 'STATE',
    state:
      stream === null
        ? { type: 'GLOBAL', global: { shared_state: { id }, stream_states: [] } }
        : { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { id } } },
  });
const status = (stream: string, s: string) =>
  JSON.stringify({
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: 1,
      stream_status: { stream_descriptor: { name: stream }, status: s },
    },
  });

interface Harness {
  flushes: Array<{ stream: string; ids: number[] }>;
  finalized: string[];
  maxInFlight: number;
  maxInFlightPerStream: Map<string, number>;
  out: string[];
}

async function run(
  lines: string[],
  cat: ReturnType<typeof catalog>,
  opts: { flushMs?: number; loaderConcurrency?: number; pipeline?: Record<string, number> } = {},
): Promise<Harness> {
  const h: Harness = { flushes: [], finalized: [], maxInFlight: 0, maxInFlightPerStream: new Map(), out: [] };
  let inFlight = 0;
  const perStream = new Map<string, number>();
  const writer: DestinationWriter = {
    pipelineOptions: {
      maxBatchRecords: 2,
      maxBatchAgeMs: 10_000,
      tickMs: 5,
      stateFlushDelayMs: 5,
      ...opts.pipeline,
    },
    async createStreamLoader(plan) {
      let batch: number[] = [];
      const loader: StreamLoader = {
        ...(opts.loaderConcurrency ? { maxConcurrentFlushes: opts.loaderConcurrency } : {}),
        write(record) {
          batch.push((record.data as { id: number }).id);
          return 'accepted';
        },
        async flush() {
          const ids = batch;
          batch = [];
          inFlight++;
          perStream.set(plan.name, (perStream.get(plan.name) ?? 0) + 1);
          h.maxInFlight = Math.max(h.maxInFlight, inFlight);
          h.maxInFlightPerStream.set(
            plan.name,
            Math.max(h.maxInFlightPerStream.get(plan.name) ?? 0, perStream.get(plan.name)!),
          );
          await new Promise((r) => setTimeout(r, opts.flushMs ?? 1));
          inFlight--;
          perStream.set(plan.name, perStream.get(plan.name)! - 1);
          h.flushes.push({ stream: plan.name, ids });
        },
        async finalize() {
          h.finalized.push(plan.name);
        },
      };
      return loader;
    },
  };
  const input = new PassThrough();
  input.end(`${lines.join('\n')}\n`);
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      h.out.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  await runWritePipeline({
    input,
    output: new NdjsonWriter(sink),
    writer,
    catalog: cat,
    logger: pino({ level: 'silent' }),
  });
  return h;
}

const states = (h: Harness) =>
  h.out
    .map((l) => JSON.parse(l))
    .filter((m) => m.type === 'STATE')
    .map((m) => m.state);

describe('write pipeline', () => {
  test('a GLOBAL state covers every stream and counts all records since the previous one', async () => {
    const h = await run(
      [rec('a', 1), rec('b', 2), rec('a', 3), state(null, 1), rec('b', 4), state(null, 2)],
      catalog(['a', 'b']),
    );
    expect(states(h).map((s) => [s.global.shared_state.id, s.destinationStats.recordCount])).toEqual([
      [1, 3],
      [2, 1],
    ]);
    expect(h.flushes.flatMap((f) => f.ids).sort()).toEqual([1, 2, 3, 4]);
  });

  test('flush concurrency is bounded globally and per stream; a loader can ask for one at a time', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => rec(i % 2 ? 'a' : 'b', i));
    const bounded = await run(lines, catalog(['a', 'b']), {
      flushMs: 20,
      pipeline: { maxConcurrentFlushes: 3, maxConcurrentFlushesPerStream: 2 },
    });
    expect(bounded.maxInFlight).toBeLessThanOrEqual(3);
    expect(Math.max(...bounded.maxInFlightPerStream.values())).toBeLessThanOrEqual(2);
    const serial = await run(lines, catalog(['a', 'b']), { flushMs: 20, loaderConcurrency: 1 });
    expect(Math.max(...serial.maxInFlightPerStream.values())).toBe(1);
    expect(serial.flushes.flatMap((f) => f.ids).sort((x, y) => x - y)).toEqual(lines.map((_, i) => i));
  });

  test('finalize runs only for streams that reported COMPLETE', async () => {
    const h = await run(
      [rec('a', 1), rec('b', 2), status('a', 'COMPLETE'), status('b', 'INCOMPLETE')],
      catalog(['a', 'b', 'c'], 'overwrite'),
    );
    expect(h.finalized).toEqual(['a']);
  });

  test('a platform that sends no stream status at all: a clean end finalises every stream (legacy overwrite)', async () => {
    const h = await run([rec('a', 1), state('a', 1)], catalog(['a', 'b'], 'overwrite'));
    expect(h.finalized.sort()).toEqual(['a', 'b']);
  });

  test('memory bound: input pauses while flushes drain, nothing is lost', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => rec('a', i));
    const h = await run(lines, catalog(['a']), {
      flushMs: 2,
      pipeline: { maxBatchRecords: 1000, maxBufferedBytes: 2000 },
    });
    expect(h.flushes.length).toBeGreaterThan(1);
    expect(h.flushes.flatMap((f) => f.ids)).toHaveLength(200);
  });

  test('memory bound across many streams: flushing one batch is not enough, the pipeline keeps flushing', async () => {
    // Ten streams share the bound; one stream's batch is a tenth of it. Before the fix the input
    // stayed paused with nothing in flight once the first flush finished (a stall, then exit 13).
    const names = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const lines = Array.from({ length: 400 }, (_, i) => rec(names[i % 10]!, i));
    const h = await run(lines, catalog(names), {
      flushMs: 2,
      pipeline: { maxBatchRecords: 1000, maxBufferedBytes: 2000, maxBatchAgeMs: 60_000 },
    });
    expect(h.flushes.flatMap((f) => f.ids).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 400 }, (_, i) => i),
    );
  }, 10_000);

  test('append_dedup without a primary key is a config error', async () => {
    await expect(run([rec('a', 1)], catalog(['a'], 'append_dedup'))).rejects.toThrow(
      /append_dedup .* no primary_key/,
    );
  });
});
