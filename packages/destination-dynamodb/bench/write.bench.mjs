#!/usr/bin/env node
// Throughput of the DynamoDB destination against DynamoDB Local, in one run:
//   ours      the real `write` command (child process, Airbyte messages on stdin from a file written first)
//   ceiling   the AWS SDK alone sending the same items as parallel BatchWriteItem calls, same concurrency
//   upstream  the upstream connector's algorithm: one 25-item BatchWriteItem at a time, sequential,
//             UnprocessedItems retried at once up to 5 times
// Env: BENCH_RECORDS (200000), BENCH_UPSTREAM_RECORDS (= BENCH_RECORDS), BENCH_CONCURRENCY (48),
//      BENCH_LAYOUT (typed|raw), BENCH_RTT_MS (0: add this much latency per request through a proxy),
//      DYNAMODB_ENDPOINT (else DynamoDB Local is started by @tributary/testkit).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { keepAliveHttpHandler } from '@tributary/aws-common';
import { startServersForSuite } from '@tributary/testkit';
import { ItemMapper } from '../dist/index.js';
import { withoutSdkLogging } from '../dist/client.js';
import { data } from './generate.mjs';

const here = import.meta.dirname;
const BIN = join(here, '..', 'dist', 'bin.js');
const N = Number(process.env.BENCH_RECORDS ?? 200_000);
const N_UPSTREAM = Number(process.env.BENCH_UPSTREAM_RECORDS ?? N);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 48);
const LAYOUT = process.env.BENCH_LAYOUT ?? 'typed';
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 0);
const STREAM = 'bench';

process.removeAllListeners('warning');

/** Adds RTT_MS to every request: a stand-in for the network between a sync and AWS. */
async function latencyProxy(target, delayMs) {
  const url = new URL(target);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        const up = httpRequest(
          { hostname: url.hostname, port: url.port, path: req.url, method: req.method, headers: req.headers },
          (r) => {
            res.writeHead(r.statusCode ?? 500, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', () => res.destroy());
        up.end(Buffer.concat(chunks));
      }, delayMs),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

// The same client settings the destination uses: keep-alive, no SDK retries, no SDK log filtering.
function client(endpoint) {
  return withoutSdkLogging(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
      requestHandler: keepAliveHttpHandler({ maxSockets: CONCURRENCY + 8 }),
    }),
  );
}

const KEY =
  LAYOUT === 'raw'
    ? [
        { name: '_airbyte_ab_id', type: 'S', role: 'HASH' },
        { name: 'sync_time', type: 'N', role: 'RANGE' },
      ]
    : [{ name: '_airbyte_raw_id', type: 'S', role: 'HASH' }];

async function createTable(c, table) {
  await c.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: KEY.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
      KeySchema: KEY.map((k) => ({ AttributeName: k.name, KeyType: k.role })),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/** The items `write` produces for the same records, built before the clock starts. */
function buildItems(n) {
  const mapper = new ItemMapper({
    layout: LAYOUT,
    dedup: false,
    cursorField: [],
    generationId: 0,
    syncId: 1,
    syncStartedAt: Date.now(),
  });
  const items = new Array(n);
  for (let i = 0; i < n; i++) {
    items[i] = {
      PutRequest: { Item: mapper.map({ stream: STREAM, data: data(i), emitted_at: 1_700_000_000_000 }).item },
    };
  }
  return items;
}

async function runOurs(endpoint, prefix) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dynamodb-'));
  const config = join(dir, 'config.json');
  const catalog = join(dir, 'catalog.json');
  writeFileSync(
    config,
    JSON.stringify({
      dynamodb_endpoint: endpoint,
      dynamodb_table_name_prefix: prefix,
      dynamodb_region: 'us-east-1',
      access_key_id: 'bench',
      secret_access_key: 'bench',
      layout: LAYOUT,
      max_concurrent_requests: CONCURRENCY,
    }),
  );
  writeFileSync(
    catalog,
    JSON.stringify({
      streams: [
        {
          stream: {
            name: STREAM,
            json_schema: { type: 'object', properties: {} },
            supported_sync_modes: ['full_refresh'],
          },
          sync_mode: 'full_refresh',
          destination_sync_mode: 'append',
        },
      ],
    }),
  );
  // The input is written to a file before the clock starts (the ceiling builds its items up front
  // too), so generating it takes no CPU from the run.
  const inputPath = join(dir, 'input.jsonl');
  const inputFd = openSync(inputPath, 'w');
  const generator = spawn(process.execPath, [join(here, 'generate.mjs'), String(N), STREAM], {
    stdio: ['ignore', inputFd, 'inherit'],
  });
  const generated = await new Promise((resolve) => generator.on('close', resolve));
  closeSync(inputFd);
  if (generated !== 0) throw new Error(`generate.mjs exited with ${generated}`);
  const input = openSync(inputPath, 'r');
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, 'write', '--config', config, '--catalog', catalog], {
    stdio: [input, 'pipe', 'inherit'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  closeSync(input);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => {
    out += c;
  });
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakRss = Math.max(peakRss, kb * 1024);
    } catch {}
  }, 200);
  const done = new Promise((resolve) => child.on('close', resolve));
  const code = await done;
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`write exited with ${code}:\n${out.slice(-2000)}`);
  const states = out.split('\n').filter((l) => l.includes('"STATE"')).length;
  if (states !== Math.floor(N / 10_000))
    throw new Error(`expected ${Math.floor(N / 10_000)} states, got ${states}`);
  return { seconds, rate: N / seconds, peakRss, table: `${prefix}_${STREAM}` };
}

async function runCeiling(c, table, items) {
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        let pending = batches[next++];
        while (pending.length > 0) {
          const out = await c.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = out.UnprocessedItems?.[table] ?? [];
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, rate: items.length / seconds };
}

async function runUpstream(c, table, items) {
  let lost = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < items.length; i += 25) {
    const out = await c.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25) } }),
    );
    let unprocessed = out.UnprocessedItems?.[table] ?? [];
    for (let retry = 0; retry < 5 && unprocessed.length > 0; retry++) {
      const again = await c.send(new BatchWriteItemCommand({ RequestItems: { [table]: unprocessed } }));
      unprocessed = again.UnprocessedItems?.[table] ?? [];
    }
    lost += unprocessed.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, rate: items.length / seconds, lost };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function main() {
  const suite = process.env.DYNAMODB_ENDPOINT ? null : await startServersForSuite(['dynamodb']);
  const base = process.env.DYNAMODB_ENDPOINT ?? suite.env.DYNAMODB_ENDPOINT;
  const proxy = RTT_MS > 0 ? await latencyProxy(base, RTT_MS) : null;
  const endpoint = proxy?.endpoint ?? base;
  const c = client(endpoint);
  const admin = client(base);
  const run = `b${Date.now().toString(36)}`;
  try {
    process.stderr.write(
      `bench: ${fmt(N)} records (~200 B) into DynamoDB Local at ${base}, ${LAYOUT} layout, concurrency ${CONCURRENCY}` +
        `${RTT_MS ? `, +${RTT_MS} ms per request` : ''}\n`,
    );
    const ours = await runOurs(endpoint, `${run}_ours`);
    await admin.send(new DeleteTableCommand({ TableName: ours.table }));

    const items = buildItems(Math.max(N, N_UPSTREAM));
    const ceilingTable = `${run}_ceiling`;
    await createTable(admin, ceilingTable);
    const ceiling = await runCeiling(c, ceilingTable, items.slice(0, N));
    await admin.send(new DeleteTableCommand({ TableName: ceilingTable }));

    const upstreamTable = `${run}_upstream`;
    await createTable(admin, upstreamTable);
    const upstream = await runUpstream(c, upstreamTable, items.slice(0, N_UPSTREAM));
    await admin.send(new DeleteTableCommand({ TableName: upstreamTable }));

    const rows = [
      ['ours (write, stdin → DynamoDB)', N, ours.seconds, ours.rate],
      [`ceiling (SDK alone, ${CONCURRENCY} parallel BatchWriteItem)`, N, ceiling.seconds, ceiling.rate],
      ['upstream algorithm (sequential 25-item batches)', N_UPSTREAM, upstream.seconds, upstream.rate],
    ];
    console.log('');
    for (const [name, n, s, rate] of rows) {
      console.log(
        `${name.padEnd(58)} ${fmt(n).padStart(9)} records ${s.toFixed(1).padStart(7)} s ${fmt(rate).padStart(8)} records/s`,
      );
    }
    console.log(`ours / ceiling:  ${(ours.rate / ceiling.rate).toFixed(2)}x (target ≥ 0.9x)`);
    console.log(`ours / upstream: ${(ours.rate / upstream.rate).toFixed(2)}x (target ≥ 5x)`);
    console.log(
      `peak RSS of write: ${(ours.peakRss / 1024 / 1024).toFixed(0)} MB; upstream items left unprocessed: ${upstream.lost}`,
    );
  } finally {
    c.destroy();
    admin.destroy();
    await proxy?.close();
    await suite?.stop();
  }
}

await main();
