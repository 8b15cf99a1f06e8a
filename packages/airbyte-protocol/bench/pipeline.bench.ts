/**
 * Core pipeline benchmark: messages/s and MB/s through reader → router → a loader that discards
 * → state release, beside the ceiling measured in the same run (line split + JSON.parse alone,
 * over the same bytes). Then the pipeline again at 10x the input to show memory stays flat.
 *
 *   pnpm --filter @tributary/airbyte-protocol bench       (BENCH_MESSAGES=… to change the size)
 */
import { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import pino from 'pino';
import type { DestinationWriter, StreamLoader } from '../src/index.js';
import { NdjsonWriter, runWritePipeline } from '../src/index.js';

const N = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const STATE_EVERY = 10_000;
const STREAMS = ['users', 'orders', 'events'];
const CHUNK = 64 * 1024;

/** ~240-byte RECORD lines (as in the reference's "small" workload) with a STATE every 10k. */
function* lines(count: number): Generator<string> {
  for (let i = 0; i < count; i++) {
    const stream = STREAMS[i % STREAMS.length]!;
    if (i > 0 && i % STATE_EVERY === 0) {
      yield `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"${stream}"},"stream_state":{"cursor":${i}}}}}\n`;
    }
    yield `{"type":"RECORD","record":{"stream":"${stream}","emitted_at":1700000000000,"data":{"id":${i},"name":"user name ${i}","email":"user${i}@example.com","active":${i % 2 === 0},"score":${(i * 1.37).toFixed(2)},"created_at":"2024-05-01T12:34:56Z","tags":["a","b"]}}}\n`;
  }
}

/**
 * The input is generated once into 64 KiB chunks and replayed (`repeat` times) for every run,
 * so generation costs nothing in the measurement and replaying 10x holds no extra memory.
 */
const CHUNKS: Buffer[] = (() => {
  const out: Buffer[] = [];
  let pending = '';
  for (const line of lines(N)) {
    pending += line;
    if (pending.length >= CHUNK) {
      out.push(Buffer.from(pending));
      pending = '';
    }
  }
  if (pending) out.push(Buffer.from(pending));
  return out;
})();

let peakHeap = 0;
function input(repeat = 1): Readable {
  let i = 0;
  const total = CHUNKS.length * repeat;
  return new Readable({
    read() {
      if (i % 64 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      if (i >= total) this.push(null);
      else this.push(CHUNKS[i++ % CHUNKS.length]);
    },
  });
}

async function ceiling(): Promise<{ seconds: number; bytes: number; messages: number }> {
  const decoder = new StringDecoder('utf8');
  let tail = '';
  let messages = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  for await (const chunk of input()) {
    bytes += (chunk as Buffer).length;
    const text = tail + decoder.write(chunk as Buffer);
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
      JSON.parse(text.slice(from, nl));
      messages++;
      from = nl + 1;
    }
    tail = text.slice(from);
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes, messages };
}

const discardLoader = (): StreamLoader => ({
  write: () => 'accepted',
  flush: async () => undefined,
});

async function pipeline(
  repeat: number,
): Promise<{ seconds: number; bytes: number; messages: number; peakHeap: number; states: number }> {
  let states = 0;
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      states += chunk.toString().split('"type":"STATE"').length - 1;
      cb();
    },
  });
  const writer: DestinationWriter = {
    pipelineOptions: { maxBatchRecords: 5_000 },
    createStreamLoader: async () => discardLoader(),
  };
  const catalog = {
    streams: STREAMS.map((name) => ({
      stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh' as const] },
      sync_mode: 'full_refresh' as const,
      destination_sync_mode: 'append' as const,
    })),
  };
  const src = input(repeat);
  src.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  peakHeap = 0;
  const start = process.hrtime.bigint();
  const summary = await runWritePipeline({
    input: src,
    output: new NdjsonWriter(sink),
    writer,
    catalog,
    logger: pino({ level: 'silent' }),
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, bytes, messages: summary.records + summary.statesReceived, peakHeap, states };
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const mb = (n: number) => (n / 1e6).toFixed(1);

// Warm-up (JIT) on both paths, then the best of three alternating rounds of each: on a shared
// 2-core machine a single round mostly measures the neighbours.
await ceiling();
await pipeline(1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
let c = await ceiling();
let p = await pipeline(1);
for (let r = 1; r < rounds; r++) {
  const c2 = await ceiling();
  if (c2.seconds < c.seconds) c = c2;
  const p2 = await pipeline(1);
  if (p2.seconds < p.seconds) p = { ...p2, peakHeap: Math.max(p.peakHeap, p2.peakHeap) };
}
const p10 = await pipeline(10);
const cRate = c.messages / c.seconds;
const pRate = p.messages / p.seconds;
console.log(
  `core pipeline benchmark, best of ${rounds} rounds, ${fmt(N)} messages (~${Math.round(c.bytes / c.messages)} B each), node ${process.version}`,
);
console.log(`  ceiling  (split + JSON.parse):         ${fmt(cRate)} msg/s  ${mb(c.bytes / c.seconds)} MB/s`);
console.log(
  `  pipeline (reader→router→loader→state):  ${fmt(pRate)} msg/s  ${mb(p.bytes / p.seconds)} MB/s  states released ${fmt(p.states)}`,
);
console.log(`  ratio pipeline/ceiling: ${(pRate / cRate).toFixed(2)}x (target ≥ 0.80x)`);
console.log(
  `  peak heap: ${mb(p.peakHeap)} MB at ${fmt(N)} messages, ${mb(p10.peakHeap)} MB at ${fmt(N * 10)} (${(p10.peakHeap / p.peakHeap).toFixed(2)}x for 10x input)`,
);
console.log(`  pipeline at 10x: ${fmt(p10.messages / p10.seconds)} msg/s`);
