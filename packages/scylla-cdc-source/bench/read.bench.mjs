#!/usr/bin/env node
// Scylla CDC source bench, in one run:
//  1. prepares BENCH_CHANGES (default 1,000,000) changes in a CDC log on Cassandra with the log
//     writer (unlogged single-stream batches, many in flight), then waits until the server runs
//     no compaction (those would slow whichever side runs during them);
//  2. the ceiling: a raw paged SELECT of the same log rows with the driver, stream by stream, in
//     this process (once cold, then warm);
//  3. the source: the real bin's `read` of those changes, stdout counted by this process, in
//     BENCH_ROUNDS rounds, each between two warm ceiling runs and compared with their mean (ratio:
//     the median over the rounds; ratio_best_to_best: best source run / best ceiling run;
//     cpu_ratio: the ceiling's CPU per row / the source process's CPU per change, medians);
//  4. lag with default settings: changes written at a steady rate while the source runs with its
//     defaults; lag = time the record arrives − the change's write time.
// Environment: BENCH_CHANGES, BENCH_VNODES (16), BENCH_SHARDS (4), BENCH_QUERY_CONCURRENCY (32), BENCH_ROUNDS (2),
// BENCH_LAG (1; 0 skips the lag phase), BENCH_LAG_SECONDS (20), BENCH_FORMAT (legacy),
// BENCH_PROFILE (a directory: the source runs write CPU profiles there), BENCH_SOURCE_CONFIG (JSON
// merged into the source's config),
// CASSANDRA_* to use a running server.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CdcLogWriter } from '@tributary/scylla-cdc-log-writer';
import { cassandraClientOptions, startCassandra } from '@tributary/testkit';
import cassandra from 'cassandra-driver';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1_000_000);
const VNODES = Number(process.env.BENCH_VNODES ?? 16);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 4);
const QUERY_CONCURRENCY = Number(process.env.BENCH_QUERY_CONCURRENCY ?? 32);
const LAG = process.env.BENCH_LAG !== '0';
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);
const FORMAT = process.env.BENCH_FORMAT ?? 'legacy';
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));

const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const server = await startCassandra();
const endpoint = server.endpoint;
const ks = `bench_cdc_${Date.now().toString(36)}`;
const sys = `${ks}_sys`;
const writer = new CdcLogWriter(
  cassandraClientOptions(endpoint, { pooling: { coreConnectionsPerHost: { 0: 2 } } }),
  {
    systemKeyspace: sys,
    vnodes: VNODES,
    shards: SHARDS,
  },
);

/**
 * Waits until the server runs no compaction (Cassandra 5's system_views.sstable_tasks) for 3 s in
 * a row, at most 5 minutes: the prepared log's flushes start compactions that take the cores for a
 * while, and whichever side of the comparison ran during them would be slowed.
 */
async function settle(client) {
  const t0 = performance.now();
  let quietSince = 0;
  for (;;) {
    let busy;
    try {
      busy = (await client.execute('SELECT kind FROM system_views.sstable_tasks')).rows.length > 0;
    } catch {
      return; // not Cassandra 4+ (no virtual table): nothing to wait for
    }
    const now = performance.now();
    if (busy) quietSince = 0;
    else if (quietSince === 0) quietSince = now;
    if ((quietSince > 0 && now - quietSince >= 3000) || now - t0 > 300_000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`  server settled (no compaction for 3 s) after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function sourceConfig(table, extra = {}) {
  return {
    'topic.prefix': 'Bench',
    'scylla.cluster.ip.addresses': endpoint.contactPoints.map((h) => `${h}:${endpoint.port}`).join(','),
    'scylla.table.names': `${ks}.${table}`,
    'scylla.local.dc': endpoint.localDataCenter,
    'tributary.system.keyspace': sys,
    'cdc.output.format': FORMAT,
    ...(endpoint.username
      ? { 'scylla.user': endpoint.username, 'scylla.password': endpoint.password ?? '' }
      : {}),
    ...extra,
    ...JSON.parse(process.env.BENCH_SOURCE_CONFIG ?? '{}'),
  };
}

function runSource(table, config, onRecord) {
  const dir = mkdtempSync(join(tmpdir(), 'cdc-bench-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(
    join(dir, 'catalog.json'),
    JSON.stringify({
      streams: [
        {
          stream: { name: table, namespace: ks, json_schema: {}, supported_sync_modes: ['incremental'] },
          sync_mode: 'incremental',
          destination_sync_mode: 'append',
        },
      ],
    }),
  );
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      bin,
      'read',
      '--config',
      join(dir, 'config.json'),
      '--catalog',
      join(dir, 'catalog.json'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let records = 0;
  let cpuMs;
  let bytes = 0;
  let first = 0;
  let last = 0;
  // Count RECORD lines on the raw bytes (no UTF-8 decoding): the bench must not slow the source.
  const RECORD = Buffer.from('{"type":"RECORD"');
  let rest = Buffer.alloc(0);
  child.stdout.on('data', (chunk) => {
    bytes += chunk.length;
    const now = performance.now();
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl >= 0) {
      if (
        buf[start + 9] === 0x52 &&
        buf.compare(RECORD, 0, RECORD.length, start, start + RECORD.length) === 0
      ) {
        records++;
        if (first === 0) first = now;
        last = now;
        if (onRecord) onRecord(buf.toString('utf8', start, nl));
      } else if (buf[start + 9] === 0x4c || buf[start + 9] === 0x54) {
        // LOG or TRACE
        const line = buf.toString('utf8', start, nl);
        const cpu = /process CPU (\d+) ms/.exec(line);
        if (cpu) cpuMs = Number(cpu[1]);
        if (/ERROR|lag|caught up|switched|log read/.test(line))
          log(`  source: ${JSON.parse(line).log?.message ?? line}`);
      }
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    rest = buf.subarray(start);
  });
  return new Promise((resolve) => {
    child.on('close', (code) =>
      resolve({ code, records, bytes, first, last, started, ended: performance.now(), cpuMs }),
    );
  });
}

try {
  await writer.setup();
  const c = writer.client;
  await c.execute(
    `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  const nowMs = Date.now();
  await writer.createGeneration({ startMs: nowMs - 3_600_000 });
  await writer.createTable(
    `CREATE TABLE ${ks}.events (pk int, ck int, v text, n bigint, PRIMARY KEY (pk, ck))`,
    ks,
    'events',
  );

  // 1. Prepare.
  log(
    `preparing ${fmt(CHANGES)} changes (${VNODES} vnodes x ${SHARDS} shards = ${VNODES * SHARDS} streams)...`,
  );
  const prepStart = performance.now();
  const spanUs = 20n * 60n * 1_000_000n; // the changes cover 20 minutes of log, ending 2 minutes ago
  const startMicros = BigInt(nowMs - 22 * 60_000) * 1000n;
  const step = spanUs / BigInt(CHANGES) || 1n;
  const chunk = 100_000;
  for (let off = 0; off < CHANGES; off += chunk) {
    const rows = [];
    for (let i = off; i < Math.min(CHANGES, off + chunk); i++) {
      rows.push({ pk: i % 10_007, ck: i, v: `value number ${i} with some text`, n: i * 1000 });
    }
    await writer.bulkInsert(ks, 'events', rows, {
      startMicros: startMicros + BigInt(off) * step,
      stepMicros: step,
      concurrency: Number(process.env.BENCH_PREPARE_CONCURRENCY ?? 32),
      batchSize: 50,
      skipBase: true,
    });
  }
  const prepSecs = (performance.now() - prepStart) / 1000;
  log(`  prepared in ${prepSecs.toFixed(1)} s (${fmt(CHANGES / prepSecs)} log rows/s)`);
  const untilMs = Number(startMicros / 1000n) + Number(spanUs / 1000n) + 1000;
  await settle(c);

  // 2. Ceiling: raw paged SELECT of the same rows, every stream, QUERY_CONCURRENCY streams at once.
  const raw = new cassandra.Client(
    cassandraClientOptions(endpoint, {
      encoding: { map: Map, set: Set, useBigIntAsLong: true, useBigIntAsVarint: true },
    }),
  );
  await raw.connect();
  const streams = writer.generationLayouts[0].vnodes.flatMap((v) => v.streams);
  const ceiling = async () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let rows = 0;
    let next = 0;
    const q = `SELECT * FROM ${ks}.events_scylla_cdc_log WHERE "cdc$stream_id" = ?`;
    const worker = async () => {
      while (next < streams.length) {
        const s = streams[next++];
        let pageState;
        do {
          const rs = await raw.execute(q, [s], { prepare: true, fetchSize: 5000, pageState });
          rows += rs.rows.length;
          pageState = rs.pageState;
        } while (pageState);
      }
    };
    await Promise.all(Array.from({ length: Math.min(QUERY_CONCURRENCY, streams.length) }, worker));
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { rows, secs, rate: rows / secs, cpuUsPerRow: (cpu.user + cpu.system) / rows };
  };
  const c0 = await ceiling();
  log(
    `ceiling, cold (raw paged SELECT): ${fmt(c0.rows)} rows in ${c0.secs.toFixed(2)} s = ${fmt(c0.rate)} rows/s`,
  );

  // 3. The source, alternating with the ceiling: each source run sits between two warm ceiling
  // runs and is compared with their mean, so both sides see the same cache and the same load.
  const ceilings = [await ceiling()];
  log(`ceiling, warm: ${fmt(ceilings[0].rate)} rows/s`);
  const runs = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const r = await runSource(
      'events',
      sourceConfig('events', {
        'tributary.read.until': String(untilMs),
        'tributary.query.concurrency': QUERY_CONCURRENCY,
      }),
    );
    const emitSecs = (r.last - r.first) / 1000;
    const totalSecs = (r.ended - r.started) / 1000;
    const rate = r.records / emitSecs;
    log(
      `source (${FORMAT}), round ${round}: ${fmt(r.records)} changes, ${fmt(r.bytes / 1e6)} MB, first to last record ` +
        `${emitSecs.toFixed(2)} s = ${fmt(rate)} changes/s; whole process ${totalSecs.toFixed(2)} s = ` +
        `${fmt(r.records / totalSecs)} changes/s (exit ${r.code})`,
    );
    const c = await ceiling();
    ceilings.push(c);
    const around = (ceilings[round - 1].rate + c.rate) / 2;
    log(
      `ceiling, warm: ${fmt(c.rate)} rows/s; round ${round}: ${(rate / around).toFixed(3)} of the ceiling around it`,
    );
    const cpuUs = r.cpuMs === undefined ? undefined : (r.cpuMs * 1000) / r.records;
    if (cpuUs !== undefined) {
      log(
        `  CPU: source ${cpuUs.toFixed(2)} µs per change (whole process), ceiling ` +
          `${c.cpuUsPerRow.toFixed(2)} µs per row`,
      );
    }
    runs.push({ r, rate, whole: r.records / totalSecs, around, ratio: rate / around, cpuUs });
  }
  await raw.shutdown();
  const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const bestCeiling = Math.max(...ceilings.map((c) => c.rate));
  const bestSource = Math.max(...runs.map((x) => x.rate));

  const result = {
    changes: CHANGES,
    streams: streams.length,
    format: FORMAT,
    prepare_rows_per_s: Math.round(CHANGES / prepSecs),
    ceiling_cold_rows_per_s: Math.round(c0.rate),
    ceiling_warm_rows_per_s: ceilings.map((c) => Math.round(c.rate)),
    source_changes_per_s: runs.map((x) => Math.round(x.rate)),
    source_changes_per_s_whole_process: runs.map((x) => Math.round(x.whole)),
    ratios: runs.map((x) => Number(x.ratio.toFixed(3))),
    ratio: Number(median(runs.map((x) => x.ratio)).toFixed(3)),
    ratio_best_to_best: Number((bestSource / bestCeiling).toFixed(3)),
    records_ok: runs.every((x) => x.r.records === CHANGES),
    // CPU per change and per row: steadier than rates on a loaded machine (both sides are bound by
    // one Node thread); the source's includes its start-up and shutdown.
    source_cpu_us_per_change: runs.map((x) => (x.cpuUs === undefined ? null : Number(x.cpuUs.toFixed(2)))),
    ceiling_cpu_us_per_row: ceilings.map((c) => Number(c.cpuUsPerRow.toFixed(2))),
  };
  const cpuRuns = runs.filter((x) => x.cpuUs !== undefined);
  if (cpuRuns.length > 0) {
    const ceilingCpu = median(ceilings.map((c) => c.cpuUsPerRow));
    result.cpu_ratio = Number((ceilingCpu / median(cpuRuns.map((x) => x.cpuUs))).toFixed(3));
  }

  // 4. Lag with default settings (confidence window 30 s, idle poll 1 s).
  if (LAG) {
    await writer.createTable(`CREATE TABLE ${ks}.live (pk int PRIMARY KEY, v text)`, ks, 'live');
    const lags = [];
    const until = Date.now() + LAG_SECONDS * 1000;
    log(`lag: writing ~20 changes/s for ${LAG_SECONDS} s while the source runs with default settings...`);
    const running = runSource(
      'live',
      sourceConfig('live', { 'tributary.read.until': String(until) }),
      (line) => {
        const m = JSON.parse(line);
        lags.push(Date.now() - m.record.data.source.ts_ms);
      },
    );
    let i = 0;
    while (Date.now() < until - 200) {
      await writer.apply(ks, 'live', { type: 'insert', values: { pk: i % 100, v: `v${i}` } });
      i++;
      await new Promise((res) => setTimeout(res, 50));
    }
    const lr = await running;
    lags.sort((a, b) => a - b);
    const pct = (p) => lags[Math.min(lags.length - 1, Math.floor((lags.length * p) / 100))];
    result.lag = {
      changes_written: i,
      changes_emitted: lr.records,
      confidence_window_ms: 30_000,
      p50_ms: pct(50),
      p99_ms: pct(99),
      max_ms: lags[lags.length - 1],
      bound_ms: 32_000,
      within_bound: lags[lags.length - 1] <= 32_000,
    };
    log(
      `lag (defaults): p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${lags[lags.length - 1]} ms ` +
        `(bound: confidence 30000 ms + 2000 ms); ${lr.records}/${i} changes`,
    );
  }
  log(
    `ratio source/ceiling: ${result.ratio} (median of rounds ${result.ratios.join(', ')}; best to best ` +
      `${result.ratio_best_to_best}; CPU per row / CPU per change ${result.cpu_ratio ?? 'n/a'}; target >= 0.7)`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await writer.client.execute(`DROP KEYSPACE IF EXISTS ${ks}`).catch(() => {});
  await writer.client.execute(`DROP KEYSPACE IF EXISTS ${sys}`).catch(() => {});
  await writer.close();
  await server.stop();
}
