// Write benchmark shared by destination-cassandra and destination-scylla (each calls runWriteBench
// with its own bin). All in one run against one local server:
//   1. the real `write` command (a child process, stdin read from a file written beforehand) for BENCH_RECORDS
//      records of ~BENCH_RECORD_BYTES bytes, and again for BENCH_SMALL_RECORDS to show memory is flat;
//   2. the ceiling: the driver alone, inserting the same rows with the same prepared statement, in
//      the same unlogged batches (BENCH_BATCH_ROWS, as the connector's write_batch_rows) at the same
//      number of rows in flight; and, for reference, one row per request;
//   3. the upstream algorithm (destination-cassandra 0.1.4): one synchronous non-prepared INSERT per
//      record into a temp table, then a token-range copy to the final table, on BENCH_UPSTREAM_RECORDS.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import {
  batchBytesUnder,
  CELL_OVERHEAD_BYTES,
  DEFAULT_WARN_THRESHOLD_BYTES,
  groupOps,
} from '../dist/batching.js';
import { batchWarnThresholdBytes } from '../dist/replicas.js';
import { RAW_META_BYTES, TYPED_META_BYTES } from '../dist/rows.js';

const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);

function schema() {
  return {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      score: { type: 'number' },
      active: { type: 'boolean' },
      created_at: { type: 'string', format: 'date-time' },
      country: { type: 'string' },
      note: { type: 'string' },
    },
  };
}

/** One record's data, padded with `note` to about `bytes` bytes of JSON line. */
function makeData(i, padding) {
  return {
    id: i,
    name: `user_${i}`,
    score: (i % 1000) / 7,
    active: i % 3 === 0,
    created_at: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    country: ['FR', 'DE', 'US', 'JP'][i % 4],
    note: padding,
  };
}

function paddingFor(bytes) {
  const probe = JSON.stringify({
    type: 'RECORD',
    record: { stream: 'bench', emitted_at: 1_700_000_000_000, data: makeData(123456, '') },
  });
  return 'x'.repeat(Math.max(0, bytes - probe.length - 1));
}

/**
 * Writes the input (records, and a state every 10k) to a file before the clock starts, so the
 * timed run spends no CPU generating it: the ceiling's rows are built up front too.
 */
function writeInput(path, count, padding) {
  const fd = openSync(path, 'w');
  const chunk = [];
  for (let i = 0; i < count; i++) {
    chunk.push(
      JSON.stringify({
        type: 'RECORD',
        record: { stream: 'bench', emitted_at: 1_700_000_000_000 + i, data: makeData(i, padding) },
      }),
    );
    if ((i + 1) % 10_000 === 0 || i === count - 1) {
      chunk.push(
        JSON.stringify({
          type: 'STATE',
          state: { type: 'STREAM', stream: { stream_descriptor: { name: 'bench' }, stream_state: { i } } },
        }),
      );
    }
    if (chunk.length >= 500 || i === count - 1) {
      writeSync(fd, `${chunk.join('\n')}\n`);
      chunk.length = 0;
    }
  }
  closeSync(fd);
}

function readHwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function runConnector({ bin, config, catalog, count, padding }) {
  const dir = mkdtempSync(join(tmpdir(), 'cql-bench-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
  const inputPath = join(dir, 'input.jsonl');
  writeInput(inputPath, count, padding);
  const input = openSync(inputPath, 'r');
  const t0 = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [bin, 'write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
    { stdio: [input, 'pipe', 'inherit'] },
  );
  closeSync(input);
  let peakKb = 0;
  const poll = setInterval(() => {
    peakKb = Math.max(peakKb, readHwmKb(child.pid));
  }, 50);
  let states = 0;
  let tail = '';
  let errors = '';
  child.stdout.on('data', (buf) => {
    const text = tail + buf.toString('utf8');
    const lines = text.split('\n');
    tail = lines.pop();
    for (const line of lines) {
      if (line.startsWith('{"type":"STATE"')) states++;
      else if (line.includes('"type":"TRACE"') || line.includes('"level":"ERROR"')) errors += `${line}\n`;
    }
  });
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  clearInterval(poll);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`write exited ${code}\n${errors}`);
  return { seconds, rate: count / seconds, peakMb: peakKb / 1024, states };
}

/**
 * The driver alone: the same prepared INSERT the connector uses, grouped into the same unlogged
 * batches (`batchRows`, ~4 KiB of values as the connector estimates them), `concurrency` rows in
 * flight (concurrency / batchRows requests), as the connector.
 */
async function runCeiling({ client, keyspace, table, count, padding, concurrency, layout, batchRows }) {
  const meta = JSON.stringify({ sync_id: null, changes: [] });
  const typed = layout !== 'raw';
  const cols = typed
    ? [
        '_airbyte_raw_id',
        '_airbyte_extracted_at',
        '_airbyte_loaded_at',
        '_airbyte_meta',
        '_airbyte_generation_id',
      ].concat(['id', 'name', 'score', 'active', 'created_at', 'country', 'note'])
    : [
        '_airbyte_ab_id',
        '_airbyte_data',
        '_airbyte_emitted_at',
        '_airbyte_generation_id',
        '_airbyte_loaded_at',
      ];
  const query = `INSERT INTO "${keyspace}"."${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
  const options = {
    prepare: true,
    isIdempotent: true,
    consistency: cassandra.types.consistencies.localQuorum,
  };
  // Rows built up front: the ceiling measures the driver and the server, nothing else.
  const rows = new Array(count);
  for (let i = 0; i < count; i++) {
    const d = makeData(i, padding);
    rows[i] = typed
      ? [cassandra.types.Uuid.random(), 1_700_000_000_000 + i, Date.now(), meta, 0].concat([
          d.id,
          d.name,
          d.score,
          d.active,
          Date.parse(d.created_at),
          d.country,
          d.note,
        ])
      : [cassandra.types.Uuid.random(), JSON.stringify(d), 1_700_000_000_000 + i, 0, Date.now()];
  }
  // Sized as the connector sizes its batches: each value by length (8 if not a string) plus the
  // cell overhead, under 90% of the server's batch warning threshold.
  // (rows.ts: typed rows their metadata + `_airbyte_meta` + their values, raw rows + `_airbyte_data`).
  const cell = (v) => (typeof v === 'string' ? v.length : 8) + CELL_OVERHEAD_BYTES;
  const ops = rows.map((params) => ({
    query,
    params,
    bytes: typed
      ? params.slice(5).reduce((n, v) => n + cell(v), TYPED_META_BYTES + params[3].length)
      : RAW_META_BYTES + params[1].length,
  }));
  const threshold = (await batchWarnThresholdBytes(client)) ?? DEFAULT_WARN_THRESHOLD_BYTES;
  const requests = groupOps(ops, { maxRows: batchRows, maxBytes: batchBytesUnder(threshold) });
  const batchOptions = { ...options, logged: false };
  await client.execute(query, rows[0], options);
  const t0 = process.hrtime.bigint();
  let next = 0;
  // The connector's write_concurrency counts rows in flight (a batch counts its rows).
  await Promise.all(
    Array.from({ length: Math.max(1, Math.floor(concurrency / batchRows)) }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        if (r.length === 1) await client.execute(query, r[0].params, options);
        else await client.batch(r, batchOptions);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, rate: count / seconds, rowsPerRequest: count / requests.length };
}

/** destination-cassandra 0.1.4: sync unprepared INSERT per record into a temp table, then copy. */
async function runUpstream({ client, keyspace, count, padding }) {
  const tmp = `airbyte_tmp_abc_bench`;
  const final = `airbyte_raw_bench_upstream`;
  for (const t of [tmp, final]) {
    await client.execute(`DROP TABLE IF EXISTS ${keyspace}.${t}`);
    await client.execute(
      `CREATE TABLE ${keyspace}.${t} ("_airbyte_ab_id" uuid PRIMARY KEY, "_airbyte_data" text, "_airbyte_emitted_at" timestamp)`,
    );
  }
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const json = JSON.stringify(makeData(i, padding)).replace(/'/g, "''");
    await client.execute(
      `INSERT INTO ${keyspace}.${tmp} ("_airbyte_ab_id", "_airbyte_data", "_airbyte_emitted_at") VALUES (${cassandra.types.Uuid.random()}, '${json}', toTimestamp(now()))`,
    );
  }
  const tInsert = Number(process.hrtime.bigint() - t0) / 1e9;
  // The copy: SELECT per token range, each row re-inserted with executeAsync (awaited here, which
  // is kinder than upstream's fire-and-forget: the time is the same, nothing is lost).
  const select = `SELECT * FROM ${keyspace}.${tmp} WHERE token("_airbyte_ab_id") > ? AND token("_airbyte_ab_id") <= ?`;
  const insert = `INSERT INTO ${keyspace}.${final} ("_airbyte_ab_id", "_airbyte_data", "_airbyte_emitted_at") VALUES (?, ?, ?)`;
  const n = 16n;
  const min = -(2n ** 63n);
  const span = 2n ** 64n - 1n;
  for (let i = 0n; i < n; i++) {
    const lo = i === 0n ? min - 0n : min + (span * i) / n;
    const hi = i === n - 1n ? 2n ** 63n - 1n : min + (span * (i + 1n)) / n;
    const params = [
      cassandra.types.Long.fromString((i === 0n ? lo : lo).toString()),
      cassandra.types.Long.fromString(hi.toString()),
    ];
    const rows = [];
    await new Promise((resolve, reject) =>
      client.eachRow(
        select,
        params,
        { prepare: true, autoPage: true },
        (_, row) => rows.push(row),
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    // The Java driver queues what a connection cannot take; here at most 1,024 are in flight.
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(1024, rows.length) }, async () => {
        while (next < rows.length) {
          const r = rows[next++];
          await client.execute(insert, [r._airbyte_ab_id, r._airbyte_data, r._airbyte_emitted_at], {
            prepare: true,
          });
        }
      }),
    );
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.execute(`DROP TABLE IF EXISTS ${keyspace}.${tmp}`);
  return { seconds, insertSeconds: tInsert, rate: count / seconds };
}

export async function runWriteBench({ name, bin }) {
  const records = env('BENCH_RECORDS', 1_000_000);
  const small = env('BENCH_SMALL_RECORDS', Math.max(1, Math.floor(records / 10)));
  const bytes = env('BENCH_RECORD_BYTES', 200);
  const concurrency = env('BENCH_CONCURRENCY', 1024);
  const upstreamCount = env('BENCH_UPSTREAM_RECORDS', 20_000);
  const layout = process.env.BENCH_LAYOUT ?? 'typed';
  const batchRows = env('BENCH_BATCH_ROWS', 16);

  let server = null;
  if (!process.env.CASSANDRA_CONTACT_POINTS) {
    const { startCassandra } = await import('@tributary/testkit');
    server = await startCassandra();
  }
  const { endpointFromEnv, cassandraClient } = await import('@tributary/testkit');
  const endpoint = server ? server.endpoint : endpointFromEnv('cassandra');
  const keyspace = `bench_${name.replace(/\W/g, '_')}`;
  const client = cassandraClient(endpoint, { pooling: { maxRequestsPerConnection: 2048 } });
  const padding = paddingFor(bytes);
  const lineBytes =
    JSON.stringify({
      type: 'RECORD',
      record: { stream: 'bench', emitted_at: 1_700_000_000_000, data: makeData(123456, padding) },
    }).length + 1;
  try {
    await client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    const config = {
      keyspace,
      address: endpoint.contactPoints.join(','),
      port: endpoint.port,
      datacenter: endpoint.localDataCenter,
      layout,
      write_concurrency: concurrency,
      write_batch_rows: batchRows,
      ...(endpoint.username ? { username: endpoint.username, password: endpoint.password } : {}),
    };
    const catalog = (stream) => ({
      streams: [
        {
          stream: { name: stream, json_schema: schema(), supported_sync_modes: ['full_refresh'] },
          sync_mode: 'full_refresh',
          destination_sync_mode: 'append',
        },
      ],
    });
    process.stderr.write(
      `${name} write bench: ${records} records of ${lineBytes} bytes, ${concurrency} rows in flight, batches of up to ${batchRows} rows, layout ${layout}\n`,
    );
    // The stream name is fixed by the generator; a fresh table per run.
    const table = layout === 'raw' ? 'airbyte_raw_bench' : 'bench';
    await client.execute(`DROP TABLE IF EXISTS ${keyspace}.${table}`);
    const smallRun = await runConnector({ bin, config, catalog: catalog('bench'), count: small, padding });
    await client.execute(`DROP TABLE IF EXISTS ${keyspace}.${table}`);
    const bigRun = await runConnector({ bin, config, catalog: catalog('bench'), count: records, padding });
    // Same starting point for the ceiling: an empty table, as the connector had.
    const driverAlone = async (rowsPerBatch) => {
      await client.execute(`TRUNCATE ${keyspace}.${table}`);
      const base = { client, keyspace, table, count: records, padding, concurrency, layout };
      return runCeiling({ ...base, batchRows: rowsPerBatch });
    };
    const ceiling = await driverAlone(batchRows);
    const singleRows = batchRows > 1 ? await driverAlone(1) : ceiling;
    const upstream = await runUpstream({ client, keyspace, count: upstreamCount, padding });
    const fmt = (n) => Math.round(n).toLocaleString('en-US');
    const lines = [
      `${name} — records/s, one local Cassandra ${process.env.CASSANDRA_VERSION ?? '5.0'} node, ${lineBytes}-byte records, ${concurrency} rows in flight, write_batch_rows ${batchRows}`,
      `  connector write (${fmt(records)} records)   ${fmt(bigRun.rate)} rec/s  ${((bigRun.rate * lineBytes) / 1e6).toFixed(1)} MB/s  ${bigRun.seconds.toFixed(1)} s  peak RSS ${bigRun.peakMb.toFixed(0)} MB  states ${bigRun.states}`,
      `  connector write (${fmt(small)} records)     ${fmt(smallRun.rate)} rec/s  peak RSS ${smallRun.peakMb.toFixed(0)} MB`,
      `  ceiling: driver alone, same statement and batches (${ceiling.rowsPerRequest.toFixed(1)} rows/request)   ${fmt(ceiling.rate)} rec/s  ${ceiling.seconds.toFixed(1)} s`,
      `  reference: driver alone, one row per request   ${fmt(singleRows.rate)} rec/s  ${singleRows.seconds.toFixed(1)} s`,
      `  upstream algorithm (${fmt(upstreamCount)} records)  ${fmt(upstream.rate)} rec/s  (sync inserts ${upstream.insertSeconds.toFixed(1)} s + copy ${(upstream.seconds - upstream.insertSeconds).toFixed(1)} s)`,
      `  ratio to ceiling ${(bigRun.rate / ceiling.rate).toFixed(2)}x (target >= 0.9x); to upstream ${(bigRun.rate / upstream.rate).toFixed(1)}x (target >= 20x)`,
      `  memory: peak RSS ${smallRun.peakMb.toFixed(0)} MB at ${fmt(small)} records, ${bigRun.peakMb.toFixed(0)} MB at ${fmt(records)} (x${(bigRun.peakMb / smallRun.peakMb).toFixed(2)} for x${(records / small).toFixed(0)} input)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  } finally {
    await client.shutdown();
    await server?.stop();
  }
}
