import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@tributary/testkit';
import { parse } from 'yaml';
import type { DestinationAdapter } from '../src/connectors/adapter.js';
import { dynamoDbAdapter, kinesisAdapter } from '../src/connectors/aws.js';
import { CDC_TABLES, cdcSync, total } from '../src/connectors/cdc.js';
import { cassandraAdapter, scyllaAdapter } from '../src/connectors/cql.js';
import { runWrite } from '../src/run-write.js';
import { expectedCounts, runTag, SAMPLE_STREAMS, sampleCatalog } from '../src/sample-data.js';

// Every connector is shippable on its own: its metadata.yaml agrees with the spec it advertises
// and its package.json, and the deployable folder built exactly as docker/Dockerfile does runs
// outside the workspace.
const root = join(import.meta.dirname, '..', '..', '..');

interface Expected {
  readonly dir: string;
  readonly type: 'destination' | 'source';
  readonly definitionId: string;
  readonly refreshes: boolean;
  readonly adapter?: DestinationAdapter;
  /** A source checked with a small real `read` of CDC tables (see src/connectors/cdc.ts). */
  readonly cdc?: boolean;
}

export const CONNECTORS: readonly Expected[] = [
  {
    dir: 'destination-cassandra',
    type: 'destination',
    definitionId: '707456df-6f4f-4ced-b5c6-03f73bcad1c5',
    refreshes: true,
    adapter: cassandraAdapter as never,
  },
  {
    dir: 'destination-scylla',
    type: 'destination',
    definitionId: '3dc6f384-cd6b-4be3-ad16-a41450899bf0',
    refreshes: true,
    adapter: scyllaAdapter as never,
  },
  {
    dir: 'destination-dynamodb',
    type: 'destination',
    definitionId: '8ccd8909-4e99-4141-b48d-4984b70b2d89',
    refreshes: true,
    adapter: dynamoDbAdapter as never,
  },
  {
    dir: 'destination-kinesis',
    type: 'destination',
    definitionId: '6d1d66d4-26ab-4602-8d32-f85894b04955',
    refreshes: false,
    adapter: kinesisAdapter as never,
  },
  {
    dir: 'scylla-cdc-source',
    type: 'source',
    definitionId: 'd4c6eba4-e61a-49df-9503-5a7a667167d8',
    refreshes: false,
    cdc: true,
  },
];

const REQUIRED = [
  'name',
  'definitionId',
  'connectorType',
  'dockerRepository',
  'dockerImageTag',
  'license',
  'documentationUrl',
  'githubIssueLabel',
  'connectorSubtype',
  'releaseStage',
];

function spec(dir: string): any {
  const out = execFileSync(process.execPath, [join(root, 'packages', dir, 'dist', 'bin.js'), 'spec'], {
    encoding: 'utf8',
  });
  return JSON.parse(
    out
      .trim()
      .split('\n')
      .find((l) => l.includes('"SPEC"'))!,
  ).spec;
}

describe.each(CONNECTORS)('$dir', (c) => {
  const pkgDir = join(root, 'packages', c.dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const meta = parse(readFileSync(join(pkgDir, 'metadata.yaml'), 'utf8'));

  test('metadata.yaml has every field the registry requires, matching package.json and the spec', () => {
    expect(meta.metadataSpecVersion).toBe('1.0');
    for (const field of REQUIRED) expect(meta.data[field]).toBeTruthy();
    expect(meta.data.definitionId).toBe(c.definitionId);
    expect(meta.data.connectorType).toBe(c.type);
    expect(meta.data.dockerRepository).toBe(`tributary/${c.dir}`);
    expect(meta.data.dockerImageTag).toBe(pkg.version);
    expect(meta.data.tags).toContain('language:typescript');
    expect(Array.isArray(meta.data.allowedHosts?.hosts)).toBe(true);
    expect(meta.data.supportsRefreshes ?? false).toBe(c.refreshes);
    const s = spec(c.dir);
    expect(meta.data.documentationUrl).toBe(s.documentationUrl);
    if (c.type === 'destination') {
      const modes: string[] = s.supported_destination_sync_modes;
      expect(modes).toContain('append');
      // Refreshes need a truncate on completion, which an overwrite-capable destination has;
      // a stream (Kinesis) cannot truncate, so it must not claim refreshes or dedup.
      if (c.refreshes) expect(modes).toEqual(expect.arrayContaining(['overwrite', 'append_dedup']));
      else expect(modes).not.toContain('append_dedup');
      expect(s.supportsRefreshes ?? meta.data.supportsRefreshes).toBe(meta.data.supportsRefreshes);
    }
  });

  test('package.json is ready for npm: bin, exports with types, files, engines, README', () => {
    expect(pkg.bin[c.dir]).toBeTruthy();
    expect(pkg.exports['.'].types).toBeTruthy();
    expect(pkg.files).toEqual(expect.arrayContaining(['dist']));
    expect(pkg.engines.node).toBe('>=20');
    expect(existsSync(join(pkgDir, 'README.md'))).toBe(true);
    expect(existsSync(join(pkgDir, 'CHANGELOG.md'))).toBe(true);
  });

  test('the deployable folder (as the Dockerfile builds it) runs its entrypoint outside the workspace', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tributary-deploy-')), c.dir);
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'deploy-connector.mjs'), c.dir, out], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(build.status).toBe(0);
    // No symlink back into the workspace: the folder stands alone.
    const resolved = execFileSync(
      'sh',
      ['-c', `find -L "${out}/node_modules/@tributary" -maxdepth 1 -mindepth 1 -exec realpath {} \\;`],
      { encoding: 'utf8' },
    );
    for (const p of resolved.trim().split('\n').filter(Boolean))
      expect(p.startsWith(join(root, 'packages'))).toBe(false);
    const res = spawnSync(join(out, 'entrypoint.sh'), ['spec'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(res.status).toBe(0);
    const message = JSON.parse(
      res.stdout
        .trim()
        .split('\n')
        .find((l) => l.includes('"SPEC"'))!,
    );
    expect(message.spec.connectionSpecification).toEqual(spec(c.dir).connectionSpecification);

    // A source: a small real read through the deployed entrypoint, of a few dozen mutations
    // written with the CDC log writer into a run-unique keyspace of the suite's Cassandra.
    if (c.cdc) {
      const cassandra = await startServer('cassandra');
      const { prepared, run, verdict } = await cdcSync({
        endpoint: cassandra.endpoint,
        tag: runTag(),
        mutations: 48,
        command: [join(out, 'entrypoint.sh')],
        workDir: mkdtempSync(join(tmpdir(), 'tributary-deployed-run-')),
        label: `deployed-${c.dir}`,
        progress: false,
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(verdict.problems).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.errors).toEqual([]);
      for (const table of CDC_TABLES) {
        const name = `${prepared.keyspace}.${table}`;
        const got = run.streams.get(name);
        const want = prepared.expected.get(table)!;
        expect(total(want)).toBeGreaterThan(0);
        expect(got?.ops).toEqual(want);
        expect(got?.states).toBeGreaterThanOrEqual(1);
        expect(got?.first).toMatchObject({
          source: { connector: 'scylla', keyspace_name: prepared.keyspace, table_name: table },
          op: expect.stringMatching(/^[cud]$/),
        });
      }
      return;
    }

    // A small real sync through the deployed entrypoint, read back from the server.
    if (!c.adapter) return;
    const adapter = c.adapter;
    const server = await startServer(adapter.server);
    const records = 2_000;
    const tag = runTag();
    const run = await runWrite({
      label: `deployed-${c.dir}`,
      command: [join(out, 'entrypoint.sh')],
      workDir: mkdtempSync(join(tmpdir(), 'tributary-deployed-run-')),
      config: adapter.config(server.endpoint as never, tag),
      catalog: sampleCatalog(adapter.modes),
      records,
      progress: false,
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.statesEchoed).toBeGreaterThanOrEqual(SAMPLE_STREAMS.length);
    const expected = expectedCounts(records);
    const counts = await adapter.readBack(
      server.endpoint as never,
      SAMPLE_STREAMS.map((st) => st.name),
      tag,
    );
    for (const st of SAMPLE_STREAMS) {
      const mode = adapter.modes.includes(st.preferredMode) ? st.preferredMode : 'append';
      const want =
        mode === 'append_dedup' ? expected.get(st.name)!.distinctKeys : expected.get(st.name)!.records;
      expect(counts.find((x) => x.table.endsWith(st.name))?.rows).toBe(want);
    }
  }, 300_000);
});
