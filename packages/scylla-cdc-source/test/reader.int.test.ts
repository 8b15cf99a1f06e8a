// The reader as a library: generations, schema changes, throttling knobs, catch-up, resume.
import { type CdcLogWriter, CollectionOp } from '@tributary/scylla-cdc-log-writer';
import type cassandra from 'cassandra-driver';
import { EventBuilder } from '../src/events/builder.js';
import type { CdcChange } from '../src/reader/changes.js';
import type { CursorJson } from '../src/reader/cursor.js';
import { CdcReader, type CdcReaderOptions, type ReaderItem } from '../src/reader/reader.js';
import { createKeyspace, newWriter, readerClient, sleep, uniqueName } from './helpers.js';

const KS = uniqueName('rd');
const SYS = `${KS}_sys`;
const system = { generations: SYS, schema: SYS, tablets: SYS };
let writer: CdcLogWriter;
let client: cassandra.Client;

beforeAll(async () => {
  writer = await newWriter(SYS, { vnodes: 4, shards: 2 });
  await createKeyspace(writer.client, KS);
  await writer.createGeneration({ startMs: Date.now() - 300_000 });
  client = readerClient();
  await client.connect();
});

afterAll(async () => {
  await client?.shutdown();
  await writer?.close();
});

interface ReadResult {
  /** The first table's cursor advanced by every item, as the source keeps it. */
  cursor: CursorJson | undefined;
  items: ReaderItem[];
  changes: CdcChange[];
  reader: CdcReader;
  maxQueue: number;
  windowTimes: Map<string, number[]>;
}

async function readAll(
  tables: CdcReaderOptions['tables'],
  opts: Partial<CdcReaderOptions> & { pollDelayMs?: number; batch?: number } = {},
): Promise<ReadResult> {
  const reader = new CdcReader({
    client,
    tables,
    system,
    confidenceWindowMs: 200,
    idlePollMs: 100,
    generationRefreshMs: 300,
    untilUs: Date.now() * 1000,
    ...opts,
  });
  await reader.start();
  const table = `${tables[0]!.keyspace}.${tables[0]!.table}`;
  const cursor = reader.initialCursor(table);
  const items: ReaderItem[] = [];
  const windowTimes = new Map<string, number[]>();
  let maxQueue = 0;
  for (;;) {
    maxQueue = Math.max(maxQueue, reader.queueSize);
    const batch = await reader.poll(opts.batch ?? 1000, 100);
    if (batch === null) break;
    for (const it of batch) {
      items.push(it);
      if (it.kind === 'change' && it.change.position && it.change.schema.id === table) {
        cursor.advanceStream(it.change.groupId, it.change.streamHex, it.change.position);
      }
      if (it.kind === 'window' && it.table === table && it.generation === cursor.generation) {
        cursor.advanceGroup(it.group, it.watermarkUs);
      }
      if (it.kind === 'generation' && it.table === table) {
        cursor.switchGeneration(it.generation, it.watermarkUs);
        cursor.setGroups(it.groups);
      }
      if (it.kind === 'window') {
        const list = windowTimes.get(`${it.generation}|${it.group}`) ?? [];
        list.push(Date.now());
        windowTimes.set(`${it.generation}|${it.group}`, list);
      }
    }
    if (opts.pollDelayMs) await sleep(opts.pollDelayMs);
  }
  await reader.stop();
  const changes = items.flatMap((i) => (i.kind === 'change' ? [i.change] : []));
  return { cursor: cursor.toJson(), items, changes, reader, maxQueue, windowTimes };
}

const advanced = (extra: Partial<ConstructorParameters<typeof EventBuilder>[0]> = {}) =>
  new EventBuilder({
    format: 'advanced',
    name: 'T',
    version: 'X',
    now: () => 1,
    recordKeyField: '_key',
    ...extra,
  });

/** The JSON text the source writes is exactly the object form, serialised. */
function sameJson(b: EventBuilder, changes: CdcChange[]): void {
  for (const c of changes) expect(b.buildJson(c)).toBe(JSON.stringify(b.build(c).value));
}

test('a new generation is taken up in-process once the horizon passes its start', async () => {
  await writer.createTable(`CREATE TABLE ${KS}.gen (pk int PRIMARY KEY, v int)`, KS, 'gen');
  const until = Date.now() + 4000;
  const done = readAll([{ keyspace: KS, table: 'gen', startUs: (Date.now() - 1000) * 1000 }], {
    untilUs: until * 1000,
  });
  for (let i = 0; i < 40; i++)
    await writer.apply(KS, 'gen', { type: 'insert', values: { pk: i % 10, v: i } });
  const g2 = await writer.createGeneration({ startMs: Date.now() + 600, vnodes: 3, shards: 2 });
  await sleep(800);
  for (let i = 40; i < 80; i++)
    await writer.apply(KS, 'gen', { type: 'insert', values: { pk: i % 10, v: i } });
  const r = await done;
  expect(r.changes).toHaveLength(80);
  // In order per key across the switch.
  for (let k = 0; k < 10; k++) {
    const values = r.changes.filter((c) => c.delta.pk === k).map((c) => c.delta.v);
    expect(values).toEqual([...values].sort((a, b) => (a as number) - (b as number)));
    expect(values).toHaveLength(8);
  }
  const switchAt = r.items.findIndex((i) => i.kind === 'generation');
  expect(switchAt).toBeGreaterThan(0);
  expect((r.items[switchAt] as { generation: number }).generation).toBe(g2.startMs);
  const newStreams = new Set(g2.vnodes.flatMap((v) => v.streams.map((s) => s.toString('hex'))));
  const after = r.items.slice(switchAt).flatMap((i) => (i.kind === 'change' ? [i.change] : []));
  expect(after.length).toBe(40);
  for (const c of after) expect(newStreams.has(c.streamHex)).toBe(true);
}, 60_000);

test('ALTER TABLE adding and dropping columns while reading', async () => {
  await writer.createTable(`CREATE TABLE ${KS}.alt (pk int PRIMARY KEY, v text)`, KS, 'alt');
  const until = Date.now() + 4000;
  const done = readAll([{ keyspace: KS, table: 'alt', startUs: (Date.now() - 500) * 1000 }], {
    untilUs: until * 1000,
  });
  await writer.apply(KS, 'alt', { type: 'insert', values: { pk: 1, v: 'a' } });
  await sleep(700);
  await writer.alterTable(KS, 'alt', 'ADD extra int');
  await writer.apply(KS, 'alt', { type: 'insert', values: { pk: 2, v: 'b', extra: 5 } });
  await writer.apply(KS, 'alt', { type: 'update', key: { pk: 1 }, set: { extra: 6 } });
  await sleep(700);
  await writer.alterTable(KS, 'alt', 'DROP v');
  await writer.apply(KS, 'alt', { type: 'insert', values: { pk: 3, extra: 7 } });
  const r = await done;
  const b = advanced();
  const events = r.changes.map((c) => b.build(c).value);
  expect(events).toHaveLength(4);
  const byPk = (pk: number) =>
    events.filter((e) => (e.after as { pk: number }).pk === pk).map((e) => e.after);
  expect(byPk(1)).toEqual([
    { pk: 1, v: 'a' },
    { pk: 1, extra: 6 },
  ]);
  expect(byPk(2)).toEqual([{ pk: 2, v: 'b', extra: 5 }]);
  expect(byPk(3)).toEqual([{ pk: 3, extra: 7 }]);
  // The schema the last change was decoded with no longer has v.
  const last = r.changes.find((c) => c.delta.pk === 3)!;
  expect(last.schema.byName.has('v')).toBe(false);
  expect(last.schema.byName.has('extra')).toBe(true);
}, 60_000);

describe('throttling knobs', () => {
  beforeAll(async () => {
    await writer.createTable(
      `CREATE TABLE ${KS}.load (pk int, ck int, v text, PRIMARY KEY (pk, ck))`,
      KS,
      'load',
    );
    const start = BigInt(Date.now() - 60_000) * 1000n;
    const rows = Array.from({ length: 3000 }, (_, i) => ({ pk: i % 7, ck: i, v: `value ${i}` }));
    await writer.bulkInsert(KS, 'load', rows, { startMicros: start, stepMicros: 10_000n });
  }, 60_000);

  test('fetch size bounds the rows per page', async () => {
    const r = await readAll([{ keyspace: KS, table: 'load', startUs: (Date.now() - 70_000) * 1000 }], {
      fetchSize: 100,
    });
    expect(r.changes).toHaveLength(3000);
    expect(r.reader.stats.maxRowsPerPage).toBe(100);
    expect(r.reader.stats.pages).toBeGreaterThanOrEqual(30);
  }, 60_000);

  test('max queue size bounds the changes buffered while the consumer is slow', async () => {
    const r = await readAll([{ keyspace: KS, table: 'load', startUs: (Date.now() - 70_000) * 1000 }], {
      maxQueueSize: 50,
      queryConcurrency: 4,
      batch: 20,
      pollDelayMs: 2,
    });
    expect(r.changes).toHaveLength(3000);
    // A page is asked for with room reserved for its rows; only a write cut by a page end could
    // add its changes beyond (single-row writes here), and each query in flight at most that.
    expect(r.maxQueue).toBeLessThanOrEqual(50 + 4);
    expect(r.maxQueue).toBeGreaterThanOrEqual(40);
  }, 60_000);

  test('minimal wait spaces the windows of a group; sparse windows grow while catching up', async () => {
    const t0 = Date.now();
    const r = await readAll([{ keyspace: KS, table: 'load', startUs: (Date.now() - 70_000) * 1000 }], {
      queryWindowMs: 1000,
      minimalWaitMs: 150,
      rowBudget: 1_000_000,
      concurrency: 4,
    });
    expect(r.changes).toHaveLength(3000);
    for (const times of r.windowTimes.values()) {
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(140);
    }
    // 70 s of log in 1 s windows would be 70 windows per group; growing windows need a few.
    for (const times of r.windowTimes.values()) expect(times.length).toBeLessThanOrEqual(10);
    const windows = Math.max(...[...r.windowTimes.values()].map((t) => t.length));
    expect(Date.now() - t0).toBeGreaterThan((windows - 1) * 150);
  }, 60_000);

  test('a bounded read ends once its last window is read: waiting workers are all woken', async () => {
    // With an idle poll of 10 minutes, any worker left asleep at the end would hold the read
    // past the test's timeout (the end is older than the confidence horizon: no wait for it).
    const t0 = Date.now();
    const r = await readAll([{ keyspace: KS, table: 'load', startUs: (Date.now() - 70_000) * 1000 }], {
      untilUs: (Date.now() - 5000) * 1000,
      idlePollMs: 600_000,
      concurrency: 8,
    });
    expect(r.changes).toHaveLength(3000);
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 60_000);

  test('a row budget keeps catch-up windows from growing past it', async () => {
    const r = await readAll([{ keyspace: KS, table: 'load', startUs: (Date.now() - 70_000) * 1000 }], {
      queryWindowMs: 1000,
      rowBudget: 100,
    });
    expect(r.changes).toHaveLength(3000);
    const windows = r.items.filter((i): i is Extract<ReaderItem, { kind: 'window' }> => i.kind === 'window');
    // Each stream reads at most its share of the budget (LIMIT ceil(100 / 2 streams)) per window.
    expect(Math.max(...windows.map((w) => w.rows))).toBeLessThanOrEqual(100);
    expect(windows.length).toBeGreaterThan(3000 / 100);
  }, 60_000);
});

test('resume from a cursor: no change lost, none repeated', async () => {
  await writer.createTable(`CREATE TABLE ${KS}.res (pk int, ck int, v int, PRIMARY KEY (pk, ck))`, KS, 'res');
  const startUs = (Date.now() - 1000) * 1000;
  for (let i = 0; i < 30; i++)
    await writer.apply(KS, 'res', { type: 'insert', values: { pk: i % 3, ck: i, v: i } });
  // An unlogged batch: two rows of one partition in one write.
  await writer.batch(KS, 'res', [
    { type: 'insert', values: { pk: 0, ck: 100, v: 100 } },
    { type: 'insert', values: { pk: 0, ck: 101, v: 101 } },
  ]);
  await sleep(300);
  const first = await readAll([{ keyspace: KS, table: 'res', startUs }]);
  expect(first.changes).toHaveLength(32);
  const pair = first.changes.filter((c) => (c.delta.ck as number) >= 100);
  expect(pair.map((c) => c.position === undefined)).toEqual([true, false]);
  const consumed = first.cursor!;
  expect(consumed.streams ?? {}).toEqual({});
  for (let i = 30; i < 40; i++)
    await writer.apply(KS, 'res', { type: 'insert', values: { pk: i % 3, ck: i, v: i } });
  await sleep(300);
  const second = await readAll([{ keyspace: KS, table: 'res', cursor: consumed }]);
  expect(second.changes.map((c) => c.delta.v).sort((a, b) => (a as number) - (b as number))).toEqual(
    Array.from({ length: 10 }, (_, i) => 30 + i),
  );
}, 60_000);

test('expiry deletes (-3) are deletes marked expired; range deletes are ignored', async () => {
  await writer.createTable(
    `CREATE TABLE ${KS}.exp (pk int, ck int, v text, PRIMARY KEY (pk, ck))`,
    KS,
    'exp',
    {
      preimage: true,
    },
  );
  const startUs = (Date.now() - 1000) * 1000;
  await writer.apply(KS, 'exp', { type: 'insert', values: { pk: 1, ck: 1, v: 'a' } });
  await writer.apply(KS, 'exp', {
    type: 'range-delete',
    key: { pk: 1 },
    start: { value: 5, inclusive: true },
  });
  await writer.apply(KS, 'exp', { type: 'expire-row', key: { pk: 1, ck: 1 } });
  await sleep(300);
  const r = await readAll([{ keyspace: KS, table: 'exp', startUs }]);
  expect(r.changes.map((c) => [c.kind, c.expired])).toEqual([
    ['insert', false],
    ['delete', true],
  ]);
  sameJson(advanced({ before: 'full' }), r.changes);
  const ev = advanced({ before: 'full' }).build(r.changes[1]!).value;
  expect(ev.op).toBe('d');
  expect(ev.before).toEqual({ ck: 1, pk: 1, v: 'a' });
  expect((ev.source as Record<string, unknown>).expired).toBe(true);
}, 60_000);

test('image modes: every combination of cdc.include.before and cdc.include.after', async () => {
  await writer.createTable(
    `CREATE TABLE ${KS}.modes (pk int, ck int, v text, w text, PRIMARY KEY (pk, ck))`,
    KS,
    'modes',
    {
      preimage: true,
      postimage: true,
    },
  );
  const startUs = (Date.now() - 1000) * 1000;
  await writer.apply(KS, 'modes', { type: 'insert', values: { pk: 1, ck: 1, v: 'a', w: 'b' } });
  await writer.apply(KS, 'modes', { type: 'update', key: { pk: 1, ck: 1 }, set: { v: 'c' } });
  await writer.apply(KS, 'modes', { type: 'delete', key: { pk: 1, ck: 1 } });
  await sleep(300);
  const r = await readAll([{ keyspace: KS, table: 'modes', startUs }]);
  expect(r.changes).toHaveLength(3);
  const modes = ['none', 'full', 'only-updated'] as const;
  const full = { ck: 1, pk: 1, v: 'a', w: 'b' };
  for (const before of modes) {
    for (const after of modes) {
      const b = advanced({ before, after });
      sameJson(b, r.changes);
      const [ins, upd, del] = r.changes.map((c) => b.build(c).value);
      expect(ins!.before).toBeNull();
      expect(ins!.after).toEqual(full);
      expect(upd!.before).toEqual(
        before === 'none' ? null : before === 'full' ? full : { ck: 1, pk: 1, v: 'a', w: null },
      );
      expect(upd!.after).toEqual(
        after === 'none'
          ? { ck: 1, pk: 1, v: 'c' }
          : after === 'full'
            ? { ck: 1, pk: 1, v: 'c', w: 'b' }
            : { ck: 1, pk: 1, v: 'c', w: null },
      );
      expect(del!.before).toEqual(
        before === 'none' ? { ck: 1, pk: 1, v: null, w: null } : { ck: 1, pk: 1, v: 'c', w: 'b' },
      );
      expect(del!.after).toBeNull();
    }
  }
  // Legacy with experimental preimages: before from the preimage, as Cells.
  const legacy = new EventBuilder({
    format: 'legacy',
    name: 'T',
    version: 'X',
    legacyPreimages: true,
    now: () => 1,
  });
  sameJson(legacy, r.changes);
  sameJson(advanced({ placement: ['payload-key', 'kafka-headers'], payloadKeyName: 'pk_obj' }), r.changes);
  const [, lu, ld] = r.changes.map((c) => legacy.build(c).value);
  expect(lu!.before).toEqual({ ck: 1, pk: 1, v: { value: 'a' }, w: null });
  expect(lu!.after).toEqual({ ck: 1, pk: 1, v: { value: 'c' }, w: null });
  expect(ld!.before).toEqual({ ck: 1, pk: 1, v: { value: 'c' }, w: { value: 'b' } });
}, 60_000);

test('non-frozen collection changes: added, removed and overwritten elements', async () => {
  await client.execute(`CREATE TYPE IF NOT EXISTS ${KS}.pt (x int, y int)`);
  await writer.createTable(
    `CREATE TABLE ${KS}.nf (pk int PRIMARY KEY, l list<int>, s set<text>, m map<int, text>, u pt)`,
    KS,
    'nf',
  );
  const startUs = (Date.now() - 1000) * 1000;
  await writer.apply(KS, 'nf', {
    type: 'insert',
    values: { pk: 1, l: [1, 2], s: ['a'], m: new Map([[1, 'one']]), u: { x: 1, y: 2 } },
  });
  await writer.apply(KS, 'nf', {
    type: 'update',
    key: { pk: 1 },
    set: {
      l: CollectionOp.remove([1]),
      s: CollectionOp.add(['b']),
      m: CollectionOp.remove([1]),
      u: CollectionOp.setField('x', null),
    },
  });
  await writer.apply(KS, 'nf', { type: 'update', key: { pk: 1 }, set: { s: ['z'], m: null } });
  await sleep(300);
  const r = await readAll([{ keyspace: KS, table: 'nf', startUs }]);
  const b = advanced();
  sameJson(b, r.changes);
  sameJson(new EventBuilder({ format: 'legacy', name: 'T', version: 'X', now: () => 1 }), r.changes);
  const events = r.changes.map((c) => b.build(c).value.after as Record<string, any>);
  expect(events[0]).toEqual({ pk: 1, l: [1, 2], s: ['a'], m: [{ key: 1, value: 'one' }], u: { x: 1, y: 2 } });
  expect(events[1]!.l.mode).toBe('MODIFY');
  expect(events[1]!.l.added).toEqual([]);
  expect(events[1]!.l.removed).toHaveLength(1);
  expect(events[1]!.s).toEqual({ mode: 'MODIFY', added: ['b'], removed: [] });
  expect(events[1]!.m).toEqual({ mode: 'MODIFY', added: [], removed: [1] });
  expect(events[1]!.u).toEqual({ mode: 'MODIFY', added: {}, removed: ['x'] });
  // `s = {'z'}` overwrites (one write); `m = null` is a tombstone logged 1 µs later (another write).
  const rest = events.slice(2);
  expect(rest).toContainEqual({ pk: 1, s: ['z'] });
  expect(rest).toContainEqual({ pk: 1, m: null });
}, 60_000);

test('tablets keyspace: a group per tablet stream; the stream set after a split is taken up', async () => {
  const tks = `${KS}_tab`;
  await createKeyspace(writer.client, tks);
  await writer.useTablets(tks, 2);
  await writer.createTable(`CREATE TABLE ${tks}.tt (pk int PRIMARY KEY, v int)`, tks, 'tt');
  const first = writer.tabletLayouts(tks, 'tt')[0]!;
  const until = Date.now() + 3500;
  const done = readAll([{ keyspace: tks, table: 'tt', startUs: (Date.now() - 500) * 1000 }], {
    untilUs: until * 1000,
  });
  for (let i = 0; i < 20; i++) await writer.apply(tks, 'tt', { type: 'insert', values: { pk: i, v: i } });
  const second = await writer.changeTablets(tks, 'tt', { startMs: Date.now() + 500, tablets: 4 });
  await sleep(700);
  for (let i = 20; i < 40; i++) await writer.apply(tks, 'tt', { type: 'insert', values: { pk: i, v: i } });
  const r = await done;
  expect(r.changes.map((c) => c.delta.v).sort((a, b) => (a as number) - (b as number))).toEqual(
    Array.from({ length: 40 }, (_, i) => i),
  );
  const sw = r.items.find((i) => i.kind === 'generation') as Extract<ReaderItem, { kind: 'generation' }>;
  expect(sw.generation).toBe(second.startMs);
  expect(sw.groups).toHaveLength(4);
  const oldStreams = new Set(first.vnodes.map((v) => v.streams[0]!.toString('hex')));
  const before = r.changes.filter((c) => (c.delta.v as number) < 20);
  for (const c of before) {
    expect(oldStreams.has(c.streamHex)).toBe(true);
    expect(c.groupId).toBe(`s${c.streamHex}`);
  }
}, 60_000);

test('a write with more rows than the row budget allows is still read whole', async () => {
  await writer.createTable(`CREATE TABLE ${KS}.big (pk int, ck int, v int, PRIMARY KEY (pk, ck))`, KS, 'big');
  const startUs = (Date.now() - 1000) * 1000;
  await writer.batch(
    KS,
    'big',
    Array.from({ length: 30 }, (_, i) => ({ type: 'insert' as const, values: { pk: 1, ck: i, v: i } })),
  );
  await writer.apply(KS, 'big', { type: 'insert', values: { pk: 1, ck: 100, v: 100 } });
  await sleep(300);
  const r = await readAll([{ keyspace: KS, table: 'big', startUs }], { rowBudget: 10 });
  expect(r.changes).toHaveLength(31);
  // One write: one position, on its last change.
  expect(r.changes.filter((c) => c.position !== undefined)).toHaveLength(2);
}, 60_000);

test('every CQL type, through the log and the driver, with the connector mapping', async () => {
  const { default: cassandra } = await import('cassandra-driver');
  const t = cassandra.types;
  await client.execute(`CREATE TYPE IF NOT EXISTS ${KS}.ab (a int, b text)`);
  await writer.createTable(
    `CREATE TABLE ${KS}.alltypes (pk int PRIMARY KEY, a ascii, bi bigint, bl blob, bo boolean, d date, dc decimal, ` +
      'db double, du duration, f float, i inet, i6 inet, it int, si smallint, ti tinyint, tm time, ts timestamp, ' +
      'tu timeuuid, u uuid, vi varint, tx text, tup frozen<tuple<int, text>>, l frozen<list<int>>, ' +
      `s frozen<set<text>>, m frozen<map<int, text>>, udt frozen<ab>, vec vector<float, 3>)`,
    KS,
    'alltypes',
  );
  const startUs = (Date.now() - 1000) * 1000;
  await writer.apply(KS, 'alltypes', {
    type: 'insert',
    values: {
      pk: 1,
      a: 'ascii_val',
      bi: t.Long.fromString('1234567890123'),
      bl: Buffer.from('cafebabe', 'hex'),
      bo: true,
      d: t.LocalDate.fromString('2024-06-10'),
      dc: t.BigDecimal.fromString('12345.67'),
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: the documented value
      db: 3.14159,
      du: t.Duration.fromString('1d12h30m'),
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: the documented value
      f: 2.71828,
      i: t.InetAddress.fromString('127.0.0.1'),
      i6: t.InetAddress.fromString('::1'),
      it: 42,
      si: 7,
      ti: 5,
      tm: t.LocalTime.fromString('12:34:56.789'),
      ts: new Date(1718022896789),
      tu: t.TimeUuid.fromString('81d4a030-4632-11f0-9484-409dd8f36eba'),
      u: t.Uuid.fromString('123e4567-e89b-12d3-a456-426614174000'),
      vi: t.Integer.fromString('999999999'),
      tx: 'text ✓',
      tup: new t.Tuple(1, 'tuple1'),
      l: [10, 20, 30],
      s: ['x', 'y'],
      m: new Map([[1, 'one']]),
      udt: { a: 42, b: 'foo' },
      vec: new Float32Array([1.5, 2.5, 3.25]),
    },
  });
  await sleep(300);
  const r = await readAll([{ keyspace: KS, table: 'alltypes', startUs }]);
  const b = advanced({ placement: ['kafka-key', 'payload-after', 'kafka-headers'] });
  sameJson(b, r.changes);
  const ev = b.build(r.changes[0]!);
  expect(ev.value.after).toEqual({
    a: 'ascii_val',
    bi: 1234567890123,
    bl: 'yv66vg==',
    bo: true,
    d: 19884,
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the documented value
    db: 3.14159,
    dc: '12345.67',
    du: '1d12h30m',
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the documented value
    f: 2.71828,
    i: '127.0.0.1',
    i6: '0:0:0:0:0:0:0:1',
    it: 42,
    l: [10, 20, 30],
    m: [{ key: 1, value: 'one' }],
    pk: 1,
    s: ['x', 'y'],
    si: 7,
    ti: 5,
    tm: 45296789000000,
    ts: 1718022896789,
    tu: '81d4a030-4632-11f0-9484-409dd8f36eba',
    tup: { field_0: 1, field_1: 'tuple1' },
    tx: 'text ✓',
    u: '123e4567-e89b-12d3-a456-426614174000',
    udt: { a: 42, b: 'foo' },
    vec: [1.5, 2.5, 3.25],
    vi: '999999999',
  });
  expect(ev.headers).toEqual([['pk.pk', '1']]);
}, 60_000);
