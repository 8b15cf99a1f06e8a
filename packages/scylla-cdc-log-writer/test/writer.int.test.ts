import { cassandraClientOptions, endpointFromEnv } from '@tributary/testkit';
import cassandra from 'cassandra-driver';
import {
  CdcLogWriter,
  CollectionOp,
  loadTableDef,
  shardOf,
  streamForToken,
  streamIdToken,
  streamIdVnode,
  timeuuidMicros,
} from '../src/index.js';

const KS = `lw_${Date.now().toString(36)}`;
const SYS = `${KS}_sys`;
let w: CdcLogWriter;
let c: cassandra.Client;

type LogRow = Record<string, any>;

async function log(table: string): Promise<LogRow[]> {
  const rs = await c.execute(`SELECT * FROM ${KS}.${table}_scylla_cdc_log`, [], { fetchSize: 10_000 });
  const rows = rs.rows.map((r) => {
    const o: LogRow = {};
    for (const k of Object.keys(r)) if (r[k] !== null) o[k] = r[k];
    return o;
  });
  // Rows of all streams, in write order.
  return rows.sort((a, b) => {
    const ta = timeuuidMicros(a.cdc$time);
    const tb = timeuuidMicros(b.cdc$time);
    return ta === tb ? a.cdc$batch_seq_no - b.cdc$batch_seq_no : ta < tb ? -1 : 1;
  });
}

const ops = (rows: LogRow[]) => rows.map((r) => r.cdc$operation);
const strip = (r: LogRow) => {
  const o: LogRow = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'cdc$stream_id' || k === 'cdc$time') continue;
    o[k] = v;
  }
  return o;
};

beforeAll(async () => {
  const endpoint = endpointFromEnv('cassandra')!;
  w = new CdcLogWriter(cassandraClientOptions(endpoint), { systemKeyspace: SYS, vnodes: 6, shards: 3 });
  await w.setup();
  c = w.client;
  await c.execute(
    `CREATE KEYSPACE ${KS} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  await w.createGeneration({ startMs: Date.now() - 1000 });
});

afterAll(async () => {
  await w?.close();
});

test('tokens equal Cassandra token() for simple and composite partition keys', async () => {
  await c.execute(`CREATE TABLE ${KS}.tok (a int, b text, c uuid, PRIMARY KEY ((a, b), c))`);
  await c.execute(`CREATE TABLE ${KS}.tok1 (k text PRIMARY KEY)`);
  await c.execute(`CREATE TABLE ${KS}.tok2 (k bigint PRIMARY KEY)`);
  const def = await loadTableDef(c, KS, 'tok');
  const def1 = await loadTableDef(c, KS, 'tok1');
  const def2 = await loadTableDef(c, KS, 'tok2');
  for (let i = -20; i < 20; i++) {
    const b = `key-${i}-${'x'.repeat(Math.abs(i))}`;
    await c.execute(`INSERT INTO ${KS}.tok (a, b, c) VALUES (?, ?, uuid())`, [i, b], { prepare: true });
    const rs2 = await c.execute(`SELECT token(a, b) AS t FROM ${KS}.tok WHERE a = ? AND b = ?`, [i, b], {
      prepare: true,
    });
    expect(w.tokenOf(def, { a: i, b }).toString()).toBe(rs2.rows[0]!.t.toString());
    await c.execute(`INSERT INTO ${KS}.tok1 (k) VALUES (?)`, [b], { prepare: true });
    const r1 = await c.execute(`SELECT token(k) AS t FROM ${KS}.tok1 WHERE k = ?`, [b], { prepare: true });
    expect(w.tokenOf(def1, { k: b }).toString()).toBe(r1.rows[0]!.t.toString());
    const big = cassandra.types.Long.fromNumber(i * 1_000_003);
    await c.execute(`INSERT INTO ${KS}.tok2 (k) VALUES (?)`, [big], { prepare: true });
    const r2 = await c.execute(`SELECT token(k) AS t FROM ${KS}.tok2 WHERE k = ?`, [big], { prepare: true });
    expect(w.tokenOf(def2, { k: big }).toString()).toBe(r2.rows[0]!.t.toString());
  }
});

test('generation tables: timestamps and one row per token range with one stream per shard', async () => {
  const ts = await c.execute(`SELECT time FROM ${SYS}.cdc_generation_timestamps WHERE key = 'timestamps'`);
  expect(ts.rows).toHaveLength(1);
  const gen = w.generationLayouts[0]!;
  const rs = await c.execute(
    `SELECT range_end, streams FROM ${SYS}.cdc_streams_descriptions_v2 WHERE time = ?`,
    [ts.rows[0]!.time],
    { prepare: true },
  );
  expect(rs.rows).toHaveLength(6);
  let previous = -(1n << 63n);
  rs.rows.forEach((row, index) => {
    const end = BigInt(row.range_end.toString());
    const streams = [...(row.streams as Set<Buffer>)];
    expect(streams).toHaveLength(3);
    for (const s of streams) {
      expect(s).toHaveLength(16);
      expect(s[15]! & 0x0f).toBe(1); // version 1
      expect(streamIdVnode(s)).toBe(index); // vnode index in the id
      const token = streamIdToken(s);
      expect(token > previous && token <= end).toBe(true); // the stream's token lies in its range
    }
    // one stream per shard of the owning node
    expect(new Set(streams.map((s) => shardOf(streamIdToken(s), 3))).size).toBe(3);
    previous = end;
  });
  expect(gen.vnodes).toHaveLength(6);
});

test('insert, update, delete: delta rows, batch numbering and end of batch; TTL on log rows', async () => {
  await w.createTable(
    `CREATE TABLE ${KS}.basic (pk int, ck int, v text, w int, PRIMARY KEY (pk, ck))`,
    KS,
    'basic',
    {
      ttl: 3600,
    },
  );
  const t1 = await w.apply(KS, 'basic', { type: 'insert', values: { pk: 1, ck: 1, v: 'a', w: 1 } });
  await w.apply(KS, 'basic', { type: 'update', key: { pk: 1, ck: 1 }, set: { v: 'b', w: null } });
  await w.apply(KS, 'basic', { type: 'delete', key: { pk: 1, ck: 1 } });
  const rows = await log('basic');
  expect(rows.map(strip)).toEqual([
    {
      cdc$batch_seq_no: 0,
      cdc$end_of_batch: true,
      cdc$operation: 2,
      pk: 1,
      ck: 1,
      v: 'a',
      w: 1,
    },
    {
      cdc$batch_seq_no: 0,
      cdc$end_of_batch: true,
      cdc$operation: 1,
      cdc$deleted_w: true,
      pk: 1,
      ck: 1,
      v: 'b',
    },
    { cdc$batch_seq_no: 0, cdc$end_of_batch: true, cdc$operation: 3, pk: 1, ck: 1 },
  ]);
  // cdc$time carries the write timestamp; the row goes to the stream owning the key's token.
  expect(timeuuidMicros(rows[0]!.cdc$time)).toBe(t1);
  const def = await loadTableDef(c, KS, 'basic');
  expect(
    (rows[0]!.cdc$stream_id as Buffer).equals(
      streamForToken(w.generationLayouts[0]!, w.tokenOf(def, { pk: 1 })),
    ),
  ).toBe(true);
  const ttl = await c.execute(`SELECT TTL("cdc$operation") AS t FROM ${KS}.basic_scylla_cdc_log`);
  for (const r of ttl.rows) expect(r.t).toBeGreaterThan(3500);
  // The base table holds the data.
  const base = await c.execute(`SELECT * FROM ${KS}.basic`);
  expect(base.rows).toHaveLength(0);
});

test('TTL statements: live cells with cdc$ttl, dead cells in their own row of the same batch', async () => {
  await w.createTable(`CREATE TABLE ${KS}.ttl (pk int PRIMARY KEY, v text, w text)`, KS, 'ttl');
  await w.apply(KS, 'ttl', { type: 'insert', values: { pk: 1, v: 'a' }, ttl: 100 });
  await w.apply(KS, 'ttl', { type: 'update', key: { pk: 1 }, set: { v: 'b', w: null }, ttl: 50 });
  const rows = (await log('ttl')).map(strip);
  expect(rows[0]).toMatchObject({ cdc$operation: 2, cdc$ttl: cassandra.types.Long.fromNumber(100), v: 'a' });
  expect(rows.slice(1)).toEqual([
    { cdc$batch_seq_no: 0, cdc$operation: 1, cdc$deleted_w: true, pk: 1 },
    {
      cdc$batch_seq_no: 1,
      cdc$end_of_batch: true,
      cdc$operation: 1,
      cdc$ttl: cassandra.types.Long.fromNumber(50),
      pk: 1,
      v: 'b',
    },
  ]);
});

test('images: preimage of modified columns (true) or the whole row (full); postimage whole row', async () => {
  await w.createTable(`CREATE TABLE ${KS}.img (pk int PRIMARY KEY, v text, w text)`, KS, 'img', {
    preimage: true,
    postimage: true,
  });
  await w.createTable(`CREATE TABLE ${KS}.imgfull (pk int PRIMARY KEY, v text, w text)`, KS, 'imgfull', {
    preimage: 'full',
  });
  for (const t of ['img', 'imgfull']) {
    await w.apply(KS, t, { type: 'insert', values: { pk: 1, v: 'a', w: 'x' } });
    await w.apply(KS, t, { type: 'update', key: { pk: 1 }, set: { v: 'b' } });
    await w.apply(KS, t, { type: 'delete', key: { pk: 1 } });
  }
  const img = (await log('img')).map(strip);
  expect(ops(img)).toEqual([2, 9, 0, 1, 9, 0, 3]);
  // No preimage for a new row; the update's preimage holds only v; postimages hold everything.
  expect(img[1]).toEqual({
    cdc$batch_seq_no: 1,
    cdc$end_of_batch: true,
    cdc$operation: 9,
    pk: 1,
    v: 'a',
    w: 'x',
  });
  expect(img[2]).toEqual({ cdc$batch_seq_no: 0, cdc$operation: 0, pk: 1, v: 'a' });
  expect(img[4]).toMatchObject({ cdc$operation: 9, v: 'b', w: 'x' });
  expect(img[5]).toEqual({ cdc$batch_seq_no: 0, cdc$operation: 0, pk: 1, v: 'b', w: 'x' });
  const full = (await log('imgfull')).map(strip);
  expect(ops(full)).toEqual([2, 0, 1, 0, 3]);
  expect(full[1]).toEqual({ cdc$batch_seq_no: 0, cdc$operation: 0, pk: 1, v: 'a', w: 'x' });
});

test('non-frozen collections and UDTs: added, removed and overwritten elements', async () => {
  await c.execute(`CREATE TYPE ${KS}.point (x int, y int)`);
  await w.createTable(
    `CREATE TABLE ${KS}.coll (pk int PRIMARY KEY, l list<text>, s set<int>, m map<text, int>, u point)`,
    KS,
    'coll',
    { postimage: true },
  );
  await w.apply(KS, 'coll', {
    type: 'insert',
    values: { pk: 1, l: ['a', 'b'], s: [1, 2], m: { k1: 1 }, u: { x: 1, y: 2 } },
  });
  await w.apply(KS, 'coll', {
    type: 'update',
    key: { pk: 1 },
    set: {
      l: CollectionOp.add(['c']),
      s: CollectionOp.remove([1]),
      m: CollectionOp.add({ k2: 2 }),
      u: CollectionOp.setField('y', 5),
    },
  });
  await w.apply(KS, 'coll', {
    type: 'update',
    key: { pk: 1 },
    set: { l: CollectionOp.remove(['a']), m: CollectionOp.remove(['k1']) },
  });
  await w.apply(KS, 'coll', { type: 'update', key: { pk: 1 }, set: { s: null } });
  const rows = await log('coll');
  const [ins, insPost, upd, updPost, rem, remPost, del, delPost] = rows;
  // INSERT overwrites: collection tombstone flags plus the elements in one row.
  expect(ins).toMatchObject({
    cdc$operation: 2,
    cdc$deleted_l: true,
    cdc$deleted_s: true,
    cdc$deleted_m: true,
  });
  const listKeys = [...(ins!.l as Map<cassandra.types.TimeUuid, string>).keys()];
  expect([...(ins!.l as Map<unknown, string>).values()]).toEqual(['a', 'b']);
  expect(insPost!.cdc$operation).toBe(9);
  // Element changes: added list cell, removed set element, added map entry, one UDT field.
  expect([...(upd!.l as Map<unknown, string>).values()]).toEqual(['c']);
  expect(upd!.cdc$deleted_l).toBeUndefined();
  expect([...(upd!.cdc$deleted_elements_s as Set<number>)]).toEqual([1]);
  expect([...(upd!.m as Map<string, number>)]).toEqual([['k2', 2]]);
  expect(upd!.u).toEqual({ x: null, y: 5 });
  expect([...(updPost!.l as Map<unknown, string>).values()]).toEqual(['a', 'b', 'c']);
  expect(updPost!.u).toEqual({ x: 1, y: 5 });
  // Removal by value lists the removed cell's timeuuid key.
  const removedKeys = [...(rem!.cdc$deleted_elements_l as Set<cassandra.types.TimeUuid>)].map(String);
  expect(removedKeys).toEqual([String(listKeys[0])]);
  expect([...(rem!.cdc$deleted_elements_m as Set<string>)]).toEqual(['k1']);
  expect([...(remPost!.l as Map<unknown, string>).values()]).toEqual(['b', 'c']);
  // `s = null`: a collection-wide tombstone logged at T+1.
  expect(del).toMatchObject({ cdc$operation: 1, cdc$deleted_s: true });
  expect(del!.s).toBeUndefined();
  expect(delPost!.s).toBeUndefined();
  const base = await c.execute(`SELECT * FROM ${KS}.coll`, [], { prepare: true });
  expect(base.rows[0]!.l).toEqual(['b', 'c']);
});

test('partition, range and expiry deletes', async () => {
  await w.createTable(`CREATE TABLE ${KS}.del (pk int, ck int, v text, PRIMARY KEY (pk, ck))`, KS, 'del', {
    preimage: true,
  });
  await w.createTable(`CREATE TABLE ${KS}.delp (pk int PRIMARY KEY, v text)`, KS, 'delp', { preimage: true });
  await w.apply(KS, 'del', { type: 'insert', values: { pk: 1, ck: 1, v: 'a' } });
  await w.apply(KS, 'del', { type: 'range-delete', key: { pk: 1 }, end: { value: 3, inclusive: false } });
  await w.apply(KS, 'del', { type: 'partition-delete', key: { pk: 1 } });
  await w.apply(KS, 'del', { type: 'insert', values: { pk: 2, ck: 1, v: 'b' } });
  await w.apply(KS, 'del', { type: 'expire-row', key: { pk: 2, ck: 1 } });
  const rows = (await log('del')).map(strip);
  expect(ops(rows)).toEqual([2, 5, 8, 4, 2, 0, -3]);
  expect(rows[1]).toEqual({ cdc$batch_seq_no: 0, cdc$operation: 5, pk: 1 });
  expect(rows[2]).toEqual({ cdc$batch_seq_no: 1, cdc$end_of_batch: true, cdc$operation: 8, pk: 1, ck: 3 });
  expect(rows[5]).toMatchObject({ cdc$operation: 0, pk: 2, ck: 1, v: 'b' });
  await w.apply(KS, 'delp', { type: 'insert', values: { pk: 1, v: 'a' } });
  await w.apply(KS, 'delp', { type: 'partition-delete', key: { pk: 1 } });
  const rp = (await log('delp')).map(strip);
  // Tables without clustering key: the partition delete has a preimage (Scylla >= 2026.1).
  expect(ops(rp)).toEqual([2, 0, 4]);
});

test('a new generation takes over writes from its start; ALTER TABLE keeps the log in step', async () => {
  await w.createTable(`CREATE TABLE ${KS}.gen (pk int PRIMARY KEY, v text)`, KS, 'gen');
  const def = await loadTableDef(c, KS, 'gen');
  await w.apply(KS, 'gen', { type: 'insert', values: { pk: 7, v: 'old' } });
  const start = Date.now() + 200;
  const g2 = await w.createGeneration({ startMs: start, vnodes: 4, shards: 2 });
  await new Promise((r) => setTimeout(r, 300));
  await w.apply(KS, 'gen', { type: 'insert', values: { pk: 7, v: 'new' } });
  const rows = await log('gen');
  expect((rows[1]!.cdc$stream_id as Buffer).equals(streamForToken(g2, w.tokenOf(def, { pk: 7 })))).toBe(true);
  expect((rows[0]!.cdc$stream_id as Buffer).equals(rows[1]!.cdc$stream_id)).toBe(false);
  await w.alterTable(KS, 'gen', 'ADD extra list<int>');
  const cols = await c.execute(
    'SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [KS, 'gen_scylla_cdc_log'],
    { prepare: true },
  );
  const types = Object.fromEntries(cols.rows.map((r) => [r.column_name, r.type]));
  expect(types.extra).toBe('frozen<map<timeuuid, int>>');
  expect(types.cdc$deleted_extra).toBe('boolean');
  expect(types.cdc$deleted_elements_extra).toBe('frozen<set<timeuuid>>');
  await w.alterTable(KS, 'gen', 'DROP v');
  const after = await c.execute(
    'SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [KS, 'gen_scylla_cdc_log'],
    { prepare: true },
  );
  expect(after.rows.map((r) => r.column_name)).not.toContain('cdc$deleted_v');
});
