#!/usr/bin/env node
// Throughput of the real destination (the bin as a child process, records on stdin) beside the
// ceiling: the AWS SDK alone sending the very same entries as parallel PutRecords requests, with
// the same request size and the same number of requests in flight per stream, against the same
// endpoint (bench/sdk-ceiling.mjs, also a fresh process, so neither side runs code the bench
// process has already optimised; its entries are built before its clock starts). Then, for ~100-byte records, the destination with KPL aggregation on beside off.
//
//   pnpm --filter @tributary/destination-kinesis bench
//
// Endpoint (BENCH_TARGET):
// - `sink` (default): bench/kinesis-sink.mjs, a Kinesis JSON endpoint in its own process that
//   keeps nothing and answers at once, so the figures are the clients' own. For the aggregation
//   comparison it enforces Kinesis' per-shard limits (1,000 records/s, 1 MiB/s), which is what
//   aggregation is for.
// - `kinesis-local`: the emulator from @tributary/testkit (or KINESIS_ENDPOINT). It spends time
//   proportional to a stream's size on every PutRecords and a fraction of a millisecond per
//   record, so it, not the clients, sets the pace; use smaller counts.
//
// Knobs (environment): BENCH_RECORDS (200000), BENCH_STREAMS (20), BENCH_SHARDS (1 per stream),
// BENCH_BUFFER_SIZE (500 entries per request), BENCH_IN_FLIGHT (4 requests per stream),
// BENCH_AGG_RECORDS (100000), BENCH_AGG_STREAMS (4), BENCH_AGG_SHARDS (2), BENCH_ROUNDS (3),
// BENCH_VERIFY (kinesis-local: 1 reads every record back; the sink always counts), BENCH_BIN (the
// destination's bin, default dist/bin.js), BENCH_CONFIG (JSON merged into its config), BENCH_PROFILE
// (a directory: the destination writes CPU profiles there).
//
// Every run writes into fresh streams, so both sides of a comparison see the same stream sizes.
// The machine is usually shared: rounds alternate ceiling and destination, and the summary gives
// the best of each side (best to best) and the median of the rounds' own ratios.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-kinesis';
import { silenceSdkNodeVersionWarning } from '@tributary/aws-common';
import { startKinesis, kinesisClient } from '@tributary/testkit';

silenceSdkNodeVersionWarning();
import { deaggregate } from '../dist/index.js';
import { data } from './records.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.BENCH_BIN ?? join(here, '..', 'dist', 'bin.js');
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const N = env('BENCH_RECORDS', 200_000);
const STREAMS = env('BENCH_STREAMS', 20);
const SHARDS = env('BENCH_SHARDS', 1);
const BUFFER = env('BENCH_BUFFER_SIZE', 500);
const IN_FLIGHT = env('BENCH_IN_FLIGHT', 4);
const AGG_N = env('BENCH_AGG_RECORDS', 100_000);
const AGG_STREAMS = env('BENCH_AGG_STREAMS', 4);
const AGG_SHARDS = env('BENCH_AGG_SHARDS', 2);
const TARGET = process.env.BENCH_TARGET ?? 'sink';
const ROUNDS = env('BENCH_ROUNDS', 3);
const VERIFY = process.env.BENCH_VERIFY === '1';

const log = (m) => process.stderr.write(`${m}\n`);
/**
 * A full collection before a timed run (the script runs with --expose-gc), so that neither side
 * pays in its run for the garbage of earlier runs (prebuilt entries, input files) in this process.
 */
const collectGarbage = () => globalThis.gc?.();
const work = mkdtempSync(join(tmpdir(), 'kinesis-bench-'));
let accountNo = 700_000 + Math.floor(Math.random() * 1000) * 100;

/** The bench sink in a child process of its own (so it does not share the clients' thread). */
async function startSink() {
  const child = spawn(process.execPath, [join(here, 'kinesis-sink.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      buf += c;
      const m = /listening (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`the sink exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint: { endpoint },
    source: 'bench sink',
    async control(body) {
      await fetch(`${endpoint}/control`, { method: 'POST', body: JSON.stringify(body) });
    },
    async stats() {
      return (await fetch(`${endpoint}/stats`)).json();
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const server = TARGET === 'sink' ? await startSink() : await startKinesis();
log(
  `[bench] ${TARGET} at ${server.endpoint.endpoint} (${server.source}); ${N} records over ${STREAMS} streams × ${SHARDS} shard(s), ${BUFFER} entries/request, ${IN_FLIGHT} requests in flight per stream`,
);

function account() {
  return String(accountNo++).padStart(12, '0');
}

function clientFor(acct) {
  return kinesisClient(
    { endpoint: server.endpoint.endpoint, region: 'us-east-1', accessKeyId: acct, secretAccessKey: 'bench' },
    { maxAttempts: 1 },
  );
}

async function createStreams(client, names, shards) {
  for (let i = 0; i < names.length; i += 4) {
    await Promise.all(
      names
        .slice(i, i + 4)
        .map((n) => client.send(new CreateStreamCommand({ StreamName: n, ShardCount: shards }))),
    );
    for (const n of names.slice(i, i + 4)) {
      for (;;) {
        const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: n }));
        if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

async function dropStreams(client) {
  for (let round = 0; round < 100; round++) {
    const names = (await client.send(new ListStreamsCommand({}))).StreamNames ?? [];
    if (names.length === 0) return;
    for (const n of names)
      await client.send(new DeleteStreamCommand({ StreamName: n })).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Counts user records in a stream (de-aggregating), to check a run wrote everything. */
async function countRecords(client, name) {
  const shards = (await client.send(new ListShardsCommand({ StreamName: name }))).Shards ?? [];
  let n = 0;
  for (const shard of shards) {
    let it = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: name,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    let empty = 0;
    while (it && empty < 2) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
      for (const r of page.Records ?? []) n += deaggregate(Buffer.from(r.Data), r.PartitionKey).length;
      empty = (page.Records ?? []).length === 0 ? empty + 1 : 0;
      it = page.NextShardIterator;
    }
  }
  return n;
}

/** The NDJSON input of a run: records round-robin over the streams, a state every 5000 records of a stream. */
function inputFile(n, bytes, STREAMS) {
  const file = join(work, `input-${n}-${bytes}-${STREAMS}.jsonl`);
  const fd = openSync(file, 'w');
  let chunk = '';
  const perStream = new Array(STREAMS).fill(0);
  for (let i = 0; i < n; i++) {
    const s = i % STREAMS;
    chunk += `${JSON.stringify({ type: 'RECORD', record: { stream: `s${s}`, namespace: 'bench', data: data(i, bytes), emitted_at: 1_700_000_000_000 } })}\n`;
    if (++perStream[s] % 5000 === 0) {
      chunk += `${JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: `s${s}`, namespace: 'bench' }, stream_state: { upTo: i } } } })}\n`;
    }
    if (chunk.length > 1 << 20) {
      writeFileSync(fd, chunk);
      chunk = '';
    }
  }
  for (let s = 0; s < STREAMS; s++) {
    chunk += `${JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: `s${s}`, namespace: 'bench' }, stream_state: { done: true } } } })}\n`;
  }
  writeFileSync(fd, chunk);
  closeSync(fd);
  return file;
}

function catalogFile(prefix, STREAMS) {
  const file = join(work, `catalog-${prefix}.json`);
  const streams = [...Array(STREAMS).keys()].map((s) => ({
    stream: {
      name: `s${s}`,
      namespace: 'bench',
      json_schema: { type: 'object' },
      supported_sync_modes: ['full_refresh'],
    },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'append',
    primary_key: [['id']],
  }));
  writeFileSync(file, JSON.stringify({ streams }));
  return file;
}

/** The destination as Airbyte runs it: a child process reading the input file on stdin. */
async function runDestination(label, n, bytes, extraConfig, { streams: STREAMS, shards }) {
  const acct = account();
  const client = clientFor(acct);
  const prefix = `r${randomBytes(3).toString('hex')}`;
  const names = [...Array(STREAMS).keys()].map((s) => `${prefix}_s${s}`);
  await createStreams(client, names, shards);
  const config = join(work, `config-${prefix}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      endpoint: server.endpoint.endpoint,
      region: 'us-east-1',
      accessKey: acct,
      privateKey: 'bench-secret-not-logged',
      bufferSize: BUFFER,
      maxInFlightPerStream: IN_FLIGHT,
      streamNameTemplate: `${prefix}_{stream}`,
      ...extraConfig,
      ...JSON.parse(process.env.BENCH_CONFIG ?? '{}'),
    }),
  );
  const input = inputFile(n, bytes, STREAMS);
  collectGarbage();
  const t0 = process.hrtime.bigint();
  const spawnedAt = performance.timeOrigin + performance.now();
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const argv = [
    process.execPath,
    ...profile,
    BIN,
    'write',
    '--config',
    config,
    '--catalog',
    catalogFile(prefix, STREAMS),
  ];
  // GNU time reports the child's CPU seconds (all its threads) on the last stderr line.
  const timed = existsSync('/usr/bin/time');
  const child = timed
    ? spawn('/usr/bin/time', ['-f', 'cpu-seconds %U %S', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  // Through a pipe, as the platform feeds a destination.
  createReadStream(input, { highWaterMark: 1 << 20 }).pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let out = '';
  let err = '';
  // Ready = every stream's loader exists (logged as "stream … → Kinesis stream …"): reading starts.
  let ready = null;
  let loaders = 0;
  child.stdout.setEncoding('utf8').on('data', (c) => {
    out += c;
    if (ready === null) {
      loaders += c.split('→ Kinesis stream').length - 1;
      if (loaders >= STREAMS) ready = process.hrtime.bigint();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
  const code = await new Promise((r) => child.on('close', r));
  const end = process.hrtime.bigint();
  const seconds = Number(end - t0) / 1e9;
  const cpuLine = /cpu-seconds ([\d.]+) ([\d.]+)/.exec(err);
  const cpu = cpuLine ? Number(cpuLine[1]) + Number(cpuLine[2]) : null;
  const lines = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const states = lines.filter((l) => l.type === 'STATE');
  const stateRecords = states.reduce((s, l) => s + (l.state.destinationStats?.recordCount ?? 0), 0);
  if (code !== 0 || stateRecords !== n) {
    const traces = lines.filter((l) => l.type === 'TRACE').map((l) => JSON.stringify(l.trace.error));
    throw new Error(
      `${label}: exit ${code}, states covered ${stateRecords}/${n} records\n${traces.join('\n')}\n${err.slice(-2000)}`,
    );
  }
  for (const l of lines
    .filter((x) => x.type === 'LOG' && /records accepted in/.test(x.log.message))
    .slice(0, 1)) {
    log(`  ${label}: ${l.log.message}`);
  }
  const throttled = await verify(label, client, names, n);
  // Start-up: against the sink, until its first PutRecords of this run arrived (exact); against
  // kinesis-local, until the loaders' log lines came out (up to ~0.1 s late: stdout is batched).
  const firstPut = await firstPutAt(names);
  const startup =
    firstPut === null ? (ready === null ? 0 : Number(ready - t0) / 1e9) : (firstPut - spawnedAt) / 1000;
  await dropStreams(client);
  client.destroy();
  return { label, seconds, rate: n / seconds, throttled, startup, steady: n / (seconds - startup), cpu, n };
}

/** When the sink received the first PutRecords of these streams (epoch ms), or null (no sink). */
async function firstPutAt(names) {
  if (TARGET !== 'sink') return null;
  const stats = await server.stats();
  const times = names.map((name) => stats[name]?.firstPutAt ?? 0).filter((t) => t > 0);
  return times.length === 0 ? null : Math.min(...times);
}

/** The sink counts what it accepted; kinesis-local is read back when BENCH_VERIFY=1. Returns entries throttled. */
async function verify(label, client, names, n) {
  if (TARGET === 'sink') {
    const stats = await server.stats();
    const total = names.reduce((sum, name) => sum + (stats[name]?.userRecords ?? 0), 0);
    if (total !== n) throw new Error(`${label}: the sink accepted ${total} of ${n} records`);
    return names.reduce((sum, name) => sum + (stats[name]?.throttled ?? 0), 0);
  }
  if (VERIFY) {
    let total = 0;
    for (const name of names) total += await countRecords(client, name);
    if (total !== n) throw new Error(`${label}: read back ${total} of ${n} records`);
    log(`  ${label}: read back all ${total} records`);
  }
  return 0;
}

/**
 * The SDK alone (bench/sdk-ceiling.mjs, in a fresh process like the destination): per stream
 * IN_FLIGHT workers sending BUFFER-entry PutRecords of the same entries, resending refused ones.
 * Timed from its first request to its last answer (its entries are built before that).
 */
async function runCeiling(label, n, bytes) {
  const acct = account();
  const prefix = `c${randomBytes(3).toString('hex')}`;
  const names = [...Array(STREAMS).keys()].map((s) => `${prefix}_s${s}`);
  const client = clientFor(acct);
  await createStreams(client, names, SHARDS);
  const args = {
    endpoint: server.endpoint.endpoint,
    account: acct,
    names,
    n,
    bytes,
    buffer: BUFFER,
    inFlight: IN_FLIGHT,
  };
  const child = spawn(
    process.execPath,
    ['--expose-gc', join(here, 'sdk-ceiling.mjs'), JSON.stringify(args)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`${label}: the ceiling exited with ${code}`);
  const { seconds, cpu, refused, endedAt } = JSON.parse(out);
  if (refused > 0) log(`  ${label}: ${refused} entries refused and resent`);
  await verify(label, client, names, n);
  // From its first PutRecords reaching the endpoint to its last answer, as for the destination.
  const firstPut = await firstPutAt(names);
  const steady = firstPut === null ? n / seconds : n / ((endedAt - firstPut) / 1000);
  await dropStreams(client);
  client.destroy();
  return { label, seconds, rate: n / seconds, steady, cpu, n };
}

const fmt = (r) =>
  `${r.label.padEnd(52)} ${String(Math.round(r.rate)).padStart(8)} records/s  (${r.seconds.toFixed(1)} s${
    r.startup
      ? `; ${Math.round(r.steady)} records/s from its first PutRecords, ${r.startup.toFixed(2)} s after its start`
      : r.steady
        ? `; ${Math.round(r.steady)} records/s from its first PutRecords`
        : ''
  }${r.throttled ? `; ${r.throttled} entries throttled` : ''}${r.cpu ? `; ${((r.cpu * 1e6) / r.n).toFixed(1)} µs CPU per record` : ''})`;
const main = { streams: STREAMS, shards: SHARDS };
const agg = { streams: AGG_STREAMS, shards: AGG_SHARDS };
const results = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const tag = ROUNDS > 1 ? ` #${round}` : '';
    const ceiling = await runCeiling(`ceiling: SDK alone, ${N} records${tag}`, N, 150);
    log(fmt(ceiling));
    const ours = await runDestination(`destination (bin, stdin), ${N} records${tag}`, N, 150, {}, main);
    log(fmt(ours));
    results.push({ ceiling, ours });
  }
  const best = (k) => results.map((r) => r[k]).sort((a, b) => b.rate - a.rate)[0];
  const ratio = best('ours').rate / best('ceiling').rate;
  // Both sides timed from their first PutRecords reaching the endpoint to their end.
  const steadyRatio =
    Math.max(...results.map((r) => r.ours.steady)) / Math.max(...results.map((r) => r.ceiling.steady));
  const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const roundRatio = median(results.map((r) => r.ours.rate / r.ceiling.rate));
  const roundSteady = median(results.map((r) => r.ours.steady / r.ceiling.steady));

  if (TARGET === 'sink') await server.control({ limits: true });
  const aggLabel = `${AGG_STREAMS} streams × ${AGG_SHARDS} shards`;
  const off = await runDestination(
    `~100-byte records, aggregation off, ${AGG_N}`,
    AGG_N,
    100,
    { aggregation: false },
    agg,
  );
  log(fmt(off));
  const on = await runDestination(
    `~100-byte records, aggregation on, ${AGG_N}`,
    AGG_N,
    100,
    { aggregation: true },
    agg,
  );
  log(fmt(on));

  const summary = [
    '',
    `destination-kinesis bench against ${TARGET}`,
    `${STREAMS} streams × ${SHARDS} shard(s), ${BUFFER} entries/request, ${IN_FLIGHT} requests in flight per stream, ~150-byte records (~300-byte Kinesis payloads)`,
    ...results.flatMap((r) => [fmt(r.ceiling), fmt(r.ours)]),
    `ratio destination / ceiling, best to best: ${ratio.toFixed(2)}x with the process start-up, ${steadyRatio.toFixed(2)}x from the first PutRecords on both sides (target ≥ 0.9x)`,
    ...(results.length > 1
      ? [
          `ratio destination / ceiling, median of the ${results.length} rounds: ${roundRatio.toFixed(2)}x with the process start-up, ${roundSteady.toFixed(2)}x from the first PutRecords`,
        ]
      : []),
    `aggregation: ${aggLabel}${TARGET === 'sink' ? ', Kinesis per-shard limits enforced (1,000 records/s, 1 MiB/s)' : ''}, ~100-byte records (~230-byte payloads)`,
    fmt(off),
    fmt(on),
    `aggregation gain: ${(on.rate / off.rate).toFixed(1)}x`,
  ];
  process.stdout.write(`${summary.join('\n')}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
  await server.stop();
}
