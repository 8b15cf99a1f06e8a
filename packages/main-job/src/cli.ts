#!/usr/bin/env node
/**
 * The main job: a real sync of realistic sample data through every destination that exists,
 * into local servers started by @tributary/testkit, with live progress and a read-back summary;
 * then, when the Scylla CDC source is built, a stream of mutations on CDC tables (written with
 * the CDC log writer on Cassandra) read back through the source's real `read`.
 *
 *   npm run main                          (all connectors, 100k records each)
 *   npm run main -- --records 500000 --only cassandra,dynamodb
 *   npm run main -- --only cdc            (the CDC source only)
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EndpointOf, type ServerName, startServer } from '@tributary/testkit';
import type { DestinationAdapter } from './connectors/adapter.js';
import { dynamoDbAdapter, kinesisAdapter } from './connectors/aws.js';
import { CDC_PACKAGE_DIR, cdcMutationCount, cdcSync, selectsCdc } from './connectors/cdc.js';
import { cassandraAdapter, scyllaAdapter } from './connectors/cql.js';
import { runWrite } from './run-write.js';
import { expectedCounts, runTag, SAMPLE_STREAMS, sampleCatalog } from './sample-data.js';

// The AWS SDK's once-per-process notice that its 2027 releases need Node 22 (the pinned release
// supports Node 20) would otherwise land in the middle of the progress output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ADAPTERS: readonly DestinationAdapter[] = [
  cassandraAdapter,
  scyllaAdapter,
  dynamoDbAdapter,
  kinesisAdapter,
] as unknown as DestinationAdapter[];

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseCli(argv: string[]): { records: number; only: string[] | null } {
  let records = 100_000;
  let only: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--records') records = Number(argv[++i]);
    else if (a === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--help') {
      console.log('usage: main-job [--records N] [--only cassandra,scylla,dynamodb,kinesis,cdc]');
      process.exit(0);
    }
  }
  if (!Number.isInteger(records) || records <= 0) throw new Error('--records needs a positive integer');
  return { records, only };
}

async function main(): Promise<number> {
  const { records, only } = parseCli(process.argv.slice(2));
  const selected = ADAPTERS.filter((a) => !only || only.some((o) => a.packageDir.includes(o)));
  const available = selected.filter((a) => existsSync(join(packagesDir, a.packageDir, 'dist', 'bin.js')));
  for (const a of selected)
    if (!available.includes(a)) console.log(`- ${a.packageDir}: not built yet, skipped`);
  const cdcBin = join(packagesDir, CDC_PACKAGE_DIR, 'dist', 'bin.js');
  const cdcSelected = selectsCdc(only);
  const cdc = cdcSelected && existsSync(cdcBin);
  if (cdcSelected && !cdc) console.log(`- ${CDC_PACKAGE_DIR}: not built yet, skipped`);
  if (available.length === 0 && !cdc) {
    console.log('no connector is available: run `npm run setup` first');
    return 1;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'tributary-main-'));
  const tag = runTag();
  const expected = expectedCounts(records);
  const mutations = cdcMutationCount(records);
  if (available.length > 0)
    console.log(
      `Tributary main job: ${records.toLocaleString('en-US')} sample records (${SAMPLE_STREAMS.map((s) => s.name).join(', ')}) per destination`,
    );
  if (cdc)
    console.log(
      `${available.length > 0 ? 'and' : 'Tributary main job:'} ${mutations.toLocaleString('en-US')} mutations on CDC tables (users, orders) read back through ${CDC_PACKAGE_DIR}`,
    );
  console.log('');

  const servers = new Map<ServerName, Awaited<ReturnType<typeof startServer>>>();
  let failures = 0;
  const summary: string[] = [];
  const server = async <N extends ServerName>(name: N) => {
    if (!servers.has(name)) {
      process.stderr.write(`starting ${name}…\n`);
      const started = await startServer(name);
      servers.set(name, started);
      process.stderr.write(`  ${name} ready (${started.source})\n`);
    }
    return servers.get(name)!.endpoint as EndpointOf[N];
  };
  try {
    for (const adapter of available) {
      const endpoint = (await server(adapter.server)) as never;
      const run = await runWrite({
        label: adapter.packageDir,
        command: [process.execPath, join(packagesDir, adapter.packageDir, 'dist', 'bin.js')],
        workDir,
        config: adapter.config(endpoint, tag),
        catalog: sampleCatalog(adapter.modes),
        records,
      });
      const counts =
        run.exitCode === 0
          ? await adapter.readBack(
              endpoint,
              SAMPLE_STREAMS.map((s) => s.name),
              tag,
            )
          : [];
      const ok = run.exitCode === 0 && run.errors.length === 0;
      summary.push(
        `${ok ? '✔' : '✘'} ${adapter.packageDir}: exit ${run.exitCode}, ${run.statesEchoed} states echoed, ` +
          `${Math.round(run.records / run.seconds).toLocaleString('en-US')} rec/s, ${(run.bytes / 1e6).toFixed(1)} MB in ${run.seconds.toFixed(1)} s`,
      );
      for (const e of run.errors) summary.push(`    error: ${e}`);
      for (const c of counts) {
        const stream = SAMPLE_STREAMS.find((s) => c.table.endsWith(s.name))!;
        const exp = expected.get(stream.name)!;
        const mode = adapter.modes.includes(stream.preferredMode) ? stream.preferredMode : 'append';
        const want = mode === 'append_dedup' ? exp.distinctKeys : exp.records;
        const match = c.rows === want;
        if (!match) failures++;
        summary.push(
          `    ${c.table.padEnd(34)} ${String(c.rows).padStart(9)} rows  (${mode}, expected ${want})${match ? '' : '  MISMATCH'}`,
        );
      }
      if (!ok) failures++;
    }
    if (cdc) {
      const { verdict } = await cdcSync({
        endpoint: await server('cassandra'),
        tag,
        mutations,
        command: [process.execPath, cdcBin],
        workDir,
      });
      summary.push(...verdict.lines);
      failures += verdict.problems.length;
    }
  } finally {
    for (const s of servers.values()) await s.stop();
  }
  console.log(`\nSummary (read back from the servers):\n${summary.join('\n')}`);
  console.log(failures === 0 ? '\nall syncs complete and verified' : `\n${failures} problem(s)`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`main job failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
