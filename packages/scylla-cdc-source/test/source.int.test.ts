// The Airbyte source through its real bin: spec, check, discover, read with states, kill and
// resume, signals, snapshot.
import type { CdcLogWriter } from '@tributary/scylla-cdc-log-writer';
import {
  catalogFor,
  createKeyspace,
  lastStates,
  logs,
  type Message,
  newWriter,
  type RunResult,
  records,
  runBin,
  sleep,
  sourceConfig,
  states,
  uniqueName,
} from './helpers.js';

const KS = uniqueName('src');
const SYS = `${KS}_sys`;
let writer: CdcLogWriter;

beforeAll(async () => {
  writer = await newWriter(SYS, { vnodes: 4, shards: 2 });
  await createKeyspace(writer.client, KS);
  await writer.createGeneration({ startMs: Date.now() - 120_000 });
  await writer.createTable(
    `CREATE TABLE ${KS}.plain (pk int, ck int, v text, PRIMARY KEY (pk, ck))`,
    KS,
    'plain',
  );
  await writer.createTable(`CREATE TABLE ${KS}.pre (pk int PRIMARY KEY, v text)`, KS, 'pre', {
    preimage: true,
  });
  await writer.client.execute(`CREATE TABLE ${KS}.nocdc (pk int PRIMARY KEY, v text)`);
  await writer.createTable(`CREATE TABLE ${KS}.disabled (pk int PRIMARY KEY, v text)`, KS, 'disabled');
  await writer.recordCdcOptions(KS, 'disabled', { enabled: 'false' });
}, 60_000);

afterAll(async () => {
  await writer?.close();
});

const status = (messages: Message[]) =>
  messages
    .filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS')
    .map((m) => m.trace.stream_status.status as string);

describe('spec and check', () => {
  test('spec: the connector property names as config keys, with its defaults', async () => {
    const r = await runBin('spec', undefined);
    expect(r.code).toBe(0);
    const spec = r.messages.find((m) => m.type === 'SPEC')!.spec;
    const props = spec.connectionSpecification.properties;
    expect(spec.connectionSpecification.required).toEqual([
      'scylla.cluster.ip.addresses',
      'scylla.table.names',
    ]);
    for (const [key, def] of Object.entries({
      'scylla.consistency.level': 'QUORUM',
      'scylla.query.time.window.size': 30000,
      'scylla.confidence.window.size': 30000,
      'scylla.minimal.wait.for.window.time': 0,
      'scylla.query.options.fetch.size': 0,
      'cdc.output.format': 'legacy',
      'experimental.preimages.enabled': false,
      'cdc.include.before': 'none',
      'cdc.include.after': 'none',
      'cdc.include.primary-key.placement': 'kafka-key,payload-after,payload-before',
      'cdc.include.primary-key.payload-key-name': 'key',
      'cdc.incomplete.task.timeout.ms': 15000,
      'poll.interval.ms': 500,
      'max.batch.size': 2048,
      'max.queue.size': 8192,
    })) {
      expect([key, props[key]?.default]).toEqual([key, def]);
    }
    for (const key of ['topic.prefix', 'scylla.name', 'scylla.user', 'scylla.local.dc'])
      expect(props[key]).toBeDefined();
    expect(props['scylla.password'].airbyte_secret).toBe(true);
  });

  test('check succeeds for CDC tables with the images the modes need', async () => {
    const r = await runBin(
      'check',
      sourceConfig(SYS, `${KS}.plain,${KS}.pre`, { 'experimental.preimages.enabled': false }),
    );
    expect(r.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus).toEqual({
      status: 'SUCCEEDED',
    });
  });

  const failed = async (config: Record<string, unknown>) => {
    const r = await runBin('check', config);
    const s = r.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus;
    expect(s.status).toBe('FAILED');
    return s.message as string;
  };

  test('check fails clearly: table without CDC, CDC disabled, unknown table', async () => {
    expect(await failed(sourceConfig(SYS, `${KS}.nocdc`))).toMatch(
      /CDC is not enabled on .*nocdc.*ALTER TABLE/,
    );
    expect(await failed(sourceConfig(SYS, `${KS}.disabled`))).toMatch(/CDC is not enabled on .*disabled/);
    expect(await failed(sourceConfig(SYS, `${KS}.missing`))).toMatch(/table .*missing does not exist/);
  });

  test('check fails clearly: before/after modes needing images the table lacks', async () => {
    const adv = { 'cdc.output.format': 'advanced' };
    expect(await failed(sourceConfig(SYS, `${KS}.plain`, { ...adv, 'cdc.include.before': 'full' }))).toMatch(
      /cdc.include.before=full needs preimages, but .*plain has CDC without 'preimage'/,
    );
    expect(
      await failed(sourceConfig(SYS, `${KS}.pre`, { ...adv, 'cdc.include.after': 'only-updated' })),
    ).toMatch(/cdc.include.after=only-updated needs postimages/);
    expect(
      await failed(sourceConfig(SYS, `${KS}.plain`, { 'experimental.preimages.enabled': true })),
    ).toMatch(/experimental.preimages.enabled needs preimages/);
  });

  test('check fails clearly on invalid configs', async () => {
    const base = sourceConfig(SYS, `${KS}.plain`);
    const { 'topic.prefix': _p, ...noName } = base;
    expect(await failed(noName)).toMatch(/topic.prefix/);
    expect(await failed({ ...base, 'scylla.table.names': 'no_keyspace' })).toMatch(
      /not a keyspace.table name/,
    );
    expect(await failed({ ...base, 'cdc.include.before': 'full' })).toMatch(/applies to the advanced format/);
    expect(await failed({ ...base, 'cdc.include.primary-key.placement': 'kafka-key,nowhere' })).toMatch(
      /unknown placement "nowhere"/,
    );
    expect(await failed({ ...base, 'scylla.consistency.level': 'MOST' })).toMatch(/scylla.consistency.level/);
  });
});

test('discover: one stream per table, the event schema, the primary key', async () => {
  const r = await runBin('discover', sourceConfig(SYS, `${KS}.plain,${KS}.pre`));
  const catalog = r.messages.find((m) => m.type === 'CATALOG')!.catalog;
  expect(catalog.streams.map((s: any) => `${s.namespace}.${s.name}`)).toEqual([`${KS}.plain`, `${KS}.pre`]);
  const plain = catalog.streams[0];
  expect(plain.supported_sync_modes).toEqual(['incremental']);
  expect(plain.source_defined_primary_key).toEqual([
    ['_key', 'pk'],
    ['_key', 'ck'],
  ]);
  expect(plain.default_cursor_field).toEqual(['source', 'ts_us']);
  const props = plain.json_schema.properties;
  expect(Object.keys(props)).toEqual(['source', 'before', 'after', 'op', 'ts_ms', 'transaction', '_key']);
  expect(props.after.properties.v).toEqual({
    type: ['null', 'object'],
    properties: { value: { type: ['null', 'string'] } },
  });
  const r2 = await runBin('discover', sourceConfig(SYS, `${KS}.plain`, { 'cdc.output.format': 'advanced' }));
  const adv = r2.messages.find((m) => m.type === 'CATALOG')!.catalog.streams[0];
  expect(adv.json_schema.properties.after.properties.v).toEqual({ type: ['null', 'string'] });
  const r3 = await runBin('discover', sourceConfig(SYS, `${KS}.nocdc`));
  expect(r3.code).toBe(1);
  expect(r3.messages.find((m) => m.type === 'TRACE')!.trace.error.failure_type).toBe('config_error');
});

test('read: records, STATE per stream, stream statuses, estimate and lag', async () => {
  for (let i = 0; i < 20; i++)
    await writer.apply(KS, 'plain', { type: 'insert', values: { pk: i % 4, ck: i, v: `v${i}` } });
  await sleep(400);
  const r = await runBin('read', sourceConfig(SYS, `${KS}.plain`, { 'tributary.lag.log.interval.ms': 100 }), {
    catalog: catalogFor([`${KS}.plain`]),
  });
  expect(r.code).toBe(0);
  expect(records(r)).toHaveLength(20);
  expect(status(r.messages)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
  const st = states(r);
  expect(st.length).toBeGreaterThanOrEqual(1);
  const last = st[st.length - 1];
  expect(last.type).toBe('STREAM');
  expect(last.stream.stream_descriptor).toEqual({ name: 'plain', namespace: KS });
  expect(last.stream.stream_state.cdc.generation).toBe(writer.generationLayouts[0]!.startMs);
  expect(last.stream.stream_state.cdc.watermark_us).toBeGreaterThan((Date.now() - 10_000) * 1000);
  expect(last.sourceStats.recordCount).toBe(20);
  expect(r.messages.some((m) => m.type === 'TRACE' && m.trace.type === 'ESTIMATE')).toBe(true);
  expect(logs(r).some((l) => /lag .*plain: \d+ ms since the last emitted change/.test(l))).toBe(true);
  // Nothing new: a second read from the state emits nothing.
  const again = await runBin('read', sourceConfig(SYS, `${KS}.plain`), {
    catalog: catalogFor([`${KS}.plain`]),
    state: lastStates(r.messages),
  });
  expect(records(again)).toHaveLength(0);
}, 60_000);

test("records written as lines equal the emitter's object records", async () => {
  const config = sourceConfig(SYS, `${KS}.plain`, { 'cdc.output.format': 'advanced' });
  const catalog = catalogFor([`${KS}.plain`]);
  const lines = await runBin('read', config, { catalog });
  const objects = await runBin('read', config, {
    catalog,
    env: { TRIBUTARY_SCYLLA_CDC_OBJECT_RECORDS: '1' },
  });
  const strip = (r: any) => ({ ...r, emitted_at: 0, data: { ...r.data, ts_ms: 0 } });
  const sorted = (r: RunResult) =>
    records(r)
      .map(strip)
      .sort((a, b) => a.data._key.ck - b.data._key.ck);
  expect(records(lines).length).toBeGreaterThan(0);
  expect(sorted(lines)).toEqual(sorted(objects));
  const counts = (r: any) => states(r).map((s: any) => s.sourceStats.recordCount);
  expect(counts(lines)).toEqual(counts(objects));
}, 60_000);

test('SIGKILL mid-read twice, resuming each time from the last STATE: no change lost', async () => {
  await writer.createTable(
    `CREATE TABLE ${KS}.kill (pk int, ck int, v text, PRIMARY KEY (pk, ck))`,
    KS,
    'kill',
  );
  const rows = Array.from({ length: 2000 }, (_, i) => ({ pk: i % 13, ck: i, v: `value ${i}` }));
  await writer.bulkInsert(KS, 'kill', rows, {
    startMicros: BigInt(Date.now() - 40_000) * 1000n,
    stepMicros: 15_000n,
  });
  const config = sourceConfig(SYS, `${KS}.kill`, {
    'offset.flush.interval.ms': 50,
    'scylla.query.time.window.size': 1000,
    'tributary.catch.up.row.budget': 100,
    'scylla.minimal.wait.for.window.time': 300,
    'tributary.reader.concurrency': 1,
    'max.batch.size': 50,
  });
  const catalog = catalogFor([`${KS}.kill`]);
  const killAfterStates = (n: number) => {
    let seen = 0;
    return (m: Message, all: Message[]) => {
      if (m.type === 'STATE' && m.state.sourceStats.recordCount > 0) seen++;
      return seen >= n && all.filter((x) => x.type === 'RECORD').length >= 150;
    };
  };
  /** Records a platform would keep: those before the last STATE. */
  const acknowledged = (r: RunResult) => {
    const last = r.messages.findLastIndex((m) => m.type === 'STATE');
    return r.messages
      .slice(0, last)
      .filter((m) => m.type === 'RECORD')
      .map((m) => m.record);
  };
  const first = await runBin('read', config, { catalog, killWhen: killAfterStates(3) });
  expect(first.signal).toBe('SIGKILL');
  expect(records(first).length).toBeLessThan(2000);
  const second = await runBin('read', config, {
    catalog,
    state: lastStates(first.messages),
    killWhen: killAfterStates(3),
  });
  expect(second.signal).toBe('SIGKILL');
  // More writes while the source is down.
  for (let i = 2000; i < 2050; i++)
    await writer.apply(KS, 'kill', { type: 'insert', values: { pk: i % 13, ck: i, v: `value ${i}` } });
  await sleep(400);
  const third = await runBin(
    'read',
    { ...config, 'scylla.minimal.wait.for.window.time': 0 },
    {
      catalog,
      state: lastStates(second.messages),
    },
  );
  expect(third.code).toBe(0);
  const seen = new Set(
    [...acknowledged(first), ...acknowledged(second), ...records(third)].map((r) => r.data._key.ck as number),
  );
  for (let i = 0; i < 2050; i++) if (!seen.has(i)) throw new Error(`change ${i} lost`);
  // Resumed, not restarted: the last run does not re-read everything.
  expect(records(third).length).toBeLessThan(2050);
}, 120_000);

test('SIGTERM stops the read cleanly with a final STATE', async () => {
  const config = sourceConfig(SYS, `${KS}.plain`);
  delete config['tributary.read.until'];
  const r = await runBin('read', config, {
    catalog: catalogFor([`${KS}.plain`]),
    killWhen: (m) =>
      m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS' && m.trace.stream_status.status === 'STARTED'
        ? 'SIGTERM'
        : false,
    killDelayMs: 1500,
  });
  // The runner reports the interruption in its exit code, after the final STATE.
  expect(r.signal).toBeNull();
  expect(r.code).not.toBe(0);
  const st = states(r);
  expect(st.length).toBeGreaterThanOrEqual(1);
  expect(st[st.length - 1].stream.stream_state.cdc.watermark_us).toBeGreaterThan(
    (Date.now() - 60_000) * 1000,
  );
  expect(status(r.messages)).not.toContain('COMPLETE');
}, 60_000);

test('initial snapshot: existing rows as op r, then changes from the snapshot start; resumable', async () => {
  const c = writer.client;
  await writer.createTable(
    `CREATE TABLE ${KS}.snap (pk int, ck int, v text, PRIMARY KEY (pk, ck))`,
    KS,
    'snap',
  );
  // Rows that exist before the source ever ran (no log rows for them).
  for (let i = 0; i < 300; i++) {
    await c.execute(`INSERT INTO ${KS}.snap (pk, ck, v) VALUES (?, ?, ?)`, [i, 0, `old ${i}`], {
      prepare: true,
    });
  }
  const config = sourceConfig(SYS, `${KS}.snap`, {
    'snapshot.mode': 'initial',
    'offset.flush.interval.ms': 1,
  });
  const catalog = catalogFor([`${KS}.snap`]);
  let snapStates = 0;
  const first = await runBin('read', config, {
    catalog,
    killWhen: (m) =>
      m.type === 'STATE' && m.state.stream.stream_state.snapshot?.done.length > 0 && ++snapStates >= 5,
  });
  expect(first.signal).toBe('SIGKILL');
  const saved = lastStates(first.messages) as any[];
  const snap = saved[0].stream.stream_state.snapshot;
  expect(snap.complete).toBe(false);
  expect(snap.done.length).toBeGreaterThan(0);
  expect(snap.done.length).toBeLessThan(64);
  // A change while the source is down, after the snapshot started.
  await writer.apply(KS, 'snap', { type: 'update', key: { pk: 1, ck: 0 }, set: { v: 'changed' } });
  await sleep(400);
  const second = await runBin('read', config, { catalog, state: saved });
  expect(second.code).toBe(0);
  const lastStateAt = first.messages.findLastIndex((m) => m.type === 'STATE');
  const acknowledged = first.messages
    .slice(0, lastStateAt)
    .filter((m) => m.type === 'RECORD')
    .map((m) => m.record.data);
  const all = [...acknowledged, ...records(second).map((r) => r.data)];
  const snapshotRows = all.filter((d) => d.op === 'r');
  expect(new Set(snapshotRows.map((d) => d.after.pk)).size).toBe(300);
  expect(snapshotRows[0].source.snapshot).toBe('true');
  expect(snapshotRows[0].after).toEqual({
    ck: 0,
    pk: snapshotRows[0].after.pk,
    v: { value: `old ${snapshotRows[0].after.pk}` },
  });
  const changes = records(second).filter((r) => r.data.op !== 'r');
  expect(changes.map((r) => r.data.after)).toEqual([{ ck: 0, pk: 1, v: { value: 'changed' } }]);
  const final = lastStates(second.messages) as any[];
  expect(final[0].stream.stream_state.snapshot.complete).toBe(true);
  expect(final[0].stream.stream_state.cdc).toBeDefined();
}, 120_000);
