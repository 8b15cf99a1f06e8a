/**
 * The Scylla CDC source in the main job and the packaging test: CDC-enabled tables written on
 * Cassandra with @tributary/scylla-cdc-log-writer (base table plus the log Scylla would write),
 * a stream of realistic mutations, then the source's real `read` as a child process, its
 * records counted per table and operation and compared with what the mutations must produce.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CdcOptions, CdcLogWriter, CollectionOp, type Mutation } from '@tributary/scylla-cdc-log-writer';
import { type CassandraEndpoint, cassandraClientOptions } from '@tributary/testkit';
import { Progress } from '../progress.js';
import { forEachLine } from '../run-write.js';
import { seeded } from '../sample-data.js';

export const CDC_PACKAGE_DIR = 'scylla-cdc-source';

/** Whether an `--only` entry selects the CDC source (`cdc`, `scylla-cdc`, `scylla-cdc-source`, `source`). */
export function selectsCdc(only: readonly string[] | null): boolean {
  return !only || only.some((o) => o.includes('cdc') || o === 'source');
}

// ---- tables --------------------------------------------------------------------------------

export type CdcTable = 'users' | 'orders';
export const CDC_TABLES: readonly CdcTable[] = ['users', 'orders'];

/** What decides how many changes a mutation produces. */
export interface CdcTableShape {
  readonly hasClustering: boolean;
  /** Non-frozen collection and UDT columns: setting one to null is logged one µs later. */
  readonly nonFrozen: ReadonlySet<string>;
}

interface TableSpec {
  readonly shape: CdcTableShape;
  readonly cdc: CdcOptions;
  create(keyspace: string): string[];
}

const TABLE_SPECS: Record<CdcTable, TableSpec> = {
  // No clustering key; pre- and postimages joined with each delta by the source.
  users: {
    shape: { hasClustering: false, nonFrozen: new Set(['roles', 'prefs']) },
    cdc: { preimage: true, postimage: true },
    create: (ks) => [
      `CREATE TABLE "${ks}".users (id int PRIMARY KEY, name text, email text, score double, ` +
        'active boolean, updated_at timestamp, roles set<text>, prefs map<text, text>)',
    ],
  },
  // A clustering key, a map, a set, a list and a non-frozen UDT; deltas only.
  orders: {
    shape: { hasClustering: true, nonFrozen: new Set(['items', 'tags', 'notes', 'shipping']) },
    cdc: {},
    create: (ks) => [
      `CREATE TYPE IF NOT EXISTS "${ks}".address (street text, city text, zip text, country text)`,
      `CREATE TABLE "${ks}".orders (customer_id int, order_no int, status text, total double, ` +
        'placed_at timestamp, items map<text, int>, tags set<text>, notes list<text>, shipping address, ' +
        'PRIMARY KEY (customer_id, order_no))',
    ],
  },
};

export function cdcTableShape(table: CdcTable): CdcTableShape {
  return TABLE_SPECS[table].shape;
}

// ---- expected changes ------------------------------------------------------------------------

export interface OpCounts {
  c: number;
  u: number;
  d: number;
}

export const total = (o: OpCounts): number => o.c + o.u + o.d;
const zero = (): OpCounts => ({ c: 0, u: 0, d: 0 });

export interface PlannedMutation {
  readonly table: CdcTable;
  readonly mutation: Mutation;
}

/**
 * Changes (by op) the source emits for one mutation, per its documented rules: an INSERT is `c`,
 * an UPDATE or a column/element DELETE is `u`, a row DELETE is `d`; a partition delete is a `d`
 * only on a table without clustering key and ignored otherwise; range deletes are ignored.
 * Scylla logs `X = null` on a non-frozen collection or UDT one µs after the write's other cells:
 * a separate write, hence one more change. (Static columns, which split a write into two rows of
 * different keys, are not used by these tables.)
 */
export function changesOf(m: Mutation, shape: CdcTableShape): OpCounts {
  const out = zero();
  /** Distinct log times of the write: 0 for cells, 1 for collection-wide tombstones. */
  const times = (cells: Array<[string, unknown]>, forceNow: boolean): number => {
    let now = forceNow;
    let later = false;
    for (const [name, value] of cells) {
      if (shape.nonFrozen.has(name) && (value === null || value === undefined)) later = true;
      else now = true;
    }
    return (now ? 1 : 0) + (later ? 1 : 0);
  };
  switch (m.type) {
    case 'insert':
      // The row marker always makes a change at the write's time.
      out.c = times(Object.entries(m.values), true);
      break;
    case 'update':
      if (Object.keys(m.set).length === 0) throw new Error('an update must set something');
      out.u = times(Object.entries(m.set), false);
      break;
    case 'delete':
      if (!m.columns || m.columns.length === 0) out.d = 1;
      else
        out.u = times(
          m.columns.map((c): [string, unknown] =>
            typeof c === 'string' ? [c, null] : [c.column, 'element'],
          ),
          false,
        );
      break;
    case 'partition-delete':
    case 'expire-partition':
      if (!shape.hasClustering) out.d = 1;
      break;
    case 'expire-row':
      out.d = 1;
      break;
    case 'range-delete':
      break;
  }
  return out;
}

/** Expected changes per table for a list of mutations. */
export function expectedChanges(plan: readonly PlannedMutation[]): Map<CdcTable, OpCounts> {
  const out = new Map<CdcTable, OpCounts>(CDC_TABLES.map((t) => [t, zero()]));
  for (const p of plan) {
    const c = changesOf(p.mutation, TABLE_SPECS[p.table].shape);
    const acc = out.get(p.table)!;
    acc.c += c.c;
    acc.u += c.u;
    acc.d += c.d;
  }
  return out;
}

// ---- the mutation stream ---------------------------------------------------------------------

/** Mutations for a run of `records` sample records: a tenth, at least 1,000. */
export function cdcMutationCount(records: number): number {
  return Math.max(1_000, Math.round(records / 10));
}

const NAMES = ['Zoë Åkesson', 'José García', '李 Wang', 'Ольга Иванова', 'Nguyễn Dubois', "Aïcha O'Brien"];
const CITIES = ['Zürich', 'São Paulo', 'Kraków', 'Reykjavík', '東京', 'Montréal', 'Cape Town'];
const STATUSES = ['new', 'paid', 'shipped', 'delivered', 'returned', 'annulé'];
const ROLES = ['admin', 'editor', 'viewer', 'billing', 'support', 'rédacteur'];
const PREF_KEYS = ['theme', 'lang', 'tz', 'currency', 'newsletter'];
const PREF_VALUES = ['dark', 'light', 'fr-CH', 'ja-JP', 'Europe/Zürich', 'CHF', 'yes', 'no'];
const SKUS = ['TRB-001', 'TRB-002', 'TRB-417', 'ACC-9', 'BIG-BOX', 'GIFT-🎁'];
const TAGS = ['gift', 'express', 'fragile', 'b2b', 'promo-été', '🎉'];
const NOTES = ['leave at the door', 'appeler avant', '不在時は宅配ボックス', 'ring twice 🔔', 'no invoice'];
const BASE_MS = Date.UTC(2024, 0, 1);

/**
 * A deterministic stream of `count` mutations over the two tables: inserts (some re-inserting
 * an existing row), updates (scalars, nulls), set/map adds and removes, list appends, UDT field
 * updates, column deletes, row deletes, partition deletes (on both tables) and range deletes.
 * Updates and deletes target rows that exist at that point.
 */
export function planMutations(count: number, seed = 7): PlannedMutation[] {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const users = new Map<number, { roles: Set<string>; prefs: Set<string> }>();
  let nextUser = 1;
  const customers = Math.max(8, Math.round(count / 40));
  const orders = new Map<number, Map<number, { tags: Set<string> }>>();
  const nextOrder = new Map<number, number>();
  const out: PlannedMutation[] = [];
  const u = (mutation: Mutation) => out.push({ table: 'users', mutation });
  const o = (mutation: Mutation) => out.push({ table: 'orders', mutation });
  const anyUser = (): number | undefined => {
    if (users.size === 0) return undefined;
    const ids = [...users.keys()];
    return ids[Math.floor(rnd() * ids.length)];
  };
  const anyOrder = (): [number, number] | undefined => {
    const withOrders = [...orders.entries()].filter(([, m]) => m.size > 0);
    if (withOrders.length === 0) return undefined;
    const [customer, m] = withOrders[Math.floor(rnd() * withOrders.length)]!;
    const nos = [...m.keys()];
    return [customer, nos[Math.floor(rnd() * nos.length)]!];
  };

  const insertUser = (i: number, reuse: boolean) => {
    const id = reuse ? (anyUser() ?? nextUser++) : nextUser++;
    const roles = new Set([pick(ROLES), pick(ROLES)]);
    const prefs = new Map([[pick(PREF_KEYS), pick(PREF_VALUES)]]);
    users.set(id, { roles, prefs: new Set(prefs.keys()) });
    u({
      type: 'insert',
      values: {
        id,
        name: `${pick(NAMES)} #${id}`,
        email: rnd() < 0.15 ? null : `user${id}@exämple.com`,
        score: Math.round(rnd() * 10_000) / 100,
        active: rnd() < 0.8,
        updated_at: new Date(BASE_MS + i * 1000),
        roles: [...roles],
        prefs: Object.fromEntries(prefs),
      },
    });
  };
  const insertOrder = (i: number) => {
    const customer = 1 + Math.floor(rnd() * customers);
    const no = (nextOrder.get(customer) ?? 0) + 1;
    nextOrder.set(customer, no);
    const tags = new Set([pick(TAGS)]);
    let rows = orders.get(customer);
    if (!rows) {
      rows = new Map();
      orders.set(customer, rows);
    }
    rows.set(no, { tags });
    const values: Record<string, unknown> = {
      customer_id: customer,
      order_no: no,
      status: 'new',
      total: Math.round(rnd() * 100_000) / 100,
      placed_at: new Date(BASE_MS + i * 1000),
      items: { [pick(SKUS)]: 1 + Math.floor(rnd() * 5), [pick(SKUS)]: 1 },
      tags: [...tags],
      shipping: {
        street: `${1 + Math.floor(rnd() * 200)} ${pick(['Bahnhofstrasse', 'Rua Augusta', 'ul. Długa'])}`,
        city: pick(CITIES),
        zip: rnd() < 0.2 ? null : String(1000 + Math.floor(rnd() * 9000)),
        country: pick(['CH', 'BR', 'PL', 'IS', 'JP', 'CA', 'ZA']),
      },
    };
    // Some orders start without notes: the column is left out, not set to null.
    if (rnd() < 0.6) values.notes = [pick(NOTES)];
    o({ type: 'insert', values });
  };

  for (let i = 0; i < count; i++) {
    const x = rnd();
    if (rnd() < 0.5) {
      const id = anyUser();
      if (id === undefined || users.size < 10 || x < 0.22) {
        insertUser(i, false);
        continue;
      }
      const user = users.get(id)!;
      const key = { id };
      if (x < 0.27) insertUser(i, true);
      else if (x < 0.45)
        u({
          type: 'update',
          key,
          set: {
            score: Math.round(rnd() * 10_000) / 100,
            active: rnd() < 0.5,
            updated_at: new Date(BASE_MS + i * 1000),
          },
        });
      else if (x < 0.5) u({ type: 'update', key, set: { email: null, name: `${pick(NAMES)} ✓` } });
      else if (x < 0.58) {
        const role = pick(ROLES);
        user.roles.add(role);
        u({ type: 'update', key, set: { roles: CollectionOp.add([role]) } });
      } else if (x < 0.64) {
        const role = [...user.roles][0] ?? pick(ROLES);
        user.roles.delete(role);
        u({ type: 'update', key, set: { roles: CollectionOp.remove([role]) } });
      } else if (x < 0.72) {
        const k = pick(PREF_KEYS);
        user.prefs.add(k);
        u({ type: 'update', key, set: { prefs: CollectionOp.add({ [k]: pick(PREF_VALUES) }) } });
      } else if (x < 0.76) {
        const k = [...user.prefs][0] ?? pick(PREF_KEYS);
        user.prefs.delete(k);
        u({ type: 'update', key, set: { prefs: CollectionOp.remove([k]) } });
      } else if (x < 0.82) u({ type: 'delete', key, columns: ['email', 'score'] });
      else if (x < 0.84) {
        // DELETE prefs: a collection-wide tombstone, logged alone one µs later.
        user.prefs.clear();
        u({ type: 'delete', key, columns: ['prefs'] });
      } else if (x < 0.95) {
        users.delete(id);
        u({ type: 'delete', key });
      } else {
        users.delete(id);
        u({ type: 'partition-delete', key });
      }
      continue;
    }
    const target = anyOrder();
    if (target === undefined || x < 0.3) {
      insertOrder(i);
      continue;
    }
    const [customer, no] = target;
    const key = { customer_id: customer, order_no: no };
    const row = orders.get(customer)!.get(no)!;
    if (x < 0.44)
      o({
        type: 'update',
        key,
        set: { status: pick(STATUSES), total: Math.round(rnd() * 100_000) / 100 },
      });
    else if (x < 0.52) o({ type: 'update', key, set: { items: CollectionOp.add({ [pick(SKUS)]: 2 }) } });
    else if (x < 0.58) {
      const tag = pick(TAGS);
      row.tags.add(tag);
      o({ type: 'update', key, set: { tags: CollectionOp.add([tag]), status: pick(STATUSES) } });
    } else if (x < 0.63) {
      const tag = [...row.tags][0] ?? pick(TAGS);
      row.tags.delete(tag);
      o({ type: 'update', key, set: { tags: CollectionOp.remove([tag]) } });
    } else if (x < 0.7) o({ type: 'update', key, set: { notes: CollectionOp.add([pick(NOTES)]) } });
    else if (x < 0.76)
      o({ type: 'update', key, set: { shipping: CollectionOp.setField('city', pick(CITIES)) } });
    else if (x < 0.79) o({ type: 'update', key, set: { shipping: CollectionOp.setField('zip', null) } });
    else if (x < 0.81) o({ type: 'delete', key, columns: [{ column: 'items', key: pick(SKUS) }] });
    else if (x < 0.91) {
      orders.get(customer)!.delete(no);
      o({ type: 'delete', key });
    } else if (x < 0.96) {
      // Covers every order of the customer: ignored by the source (a table with clustering key).
      orders.delete(customer);
      o({ type: 'partition-delete', key: { customer_id: customer } });
    } else {
      const rows = orders.get(customer)!;
      for (const n of [...rows.keys()]) if (n <= 2) rows.delete(n);
      o({
        type: 'range-delete',
        key: { customer_id: customer },
        start: { value: 0, inclusive: true },
        end: { value: 2, inclusive: true },
      });
    }
  }
  return out;
}

// ---- writing the tables ----------------------------------------------------------------------

export interface PreparedCdc {
  readonly keyspace: string;
  /** Emulates system_distributed / system_schema / system for the source (`tributary.system.keyspace`). */
  readonly systemKeyspace: string;
  /** `keyspace.table` of each table. */
  readonly tables: readonly string[];
  readonly mutations: number;
  readonly seconds: number;
  readonly expected: Map<CdcTable, OpCounts>;
}

/**
 * Creates a run-unique keyspace with the CDC tables and applies `plan` through the log writer.
 * Mutations of different partitions run concurrently (`lanes`), those of one partition in order.
 */
export async function prepareCdcTables(
  endpoint: CassandraEndpoint,
  tag: string,
  plan: readonly PlannedMutation[],
  opts: { progress?: boolean; lanes?: number } = {},
): Promise<PreparedCdc> {
  const keyspace = `tributary_cdc_${tag}`;
  const systemKeyspace = `${keyspace}_sys`;
  const writer = new CdcLogWriter(cassandraClientOptions(endpoint), { systemKeyspace, vnodes: 8, shards: 2 });
  let seconds = 0;
  try {
    await writer.setup();
    await writer.client.execute(
      `CREATE KEYSPACE IF NOT EXISTS "${keyspace}" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    await writer.createGeneration({ startMs: Date.now() - 1000 });
    for (const table of CDC_TABLES) {
      const spec = TABLE_SPECS[table];
      const cql = spec.create(keyspace);
      for (const stmt of cql.slice(0, -1)) await writer.client.execute(stmt);
      await writer.createTable(cql.at(-1)!, keyspace, table, spec.cdc);
    }
    const laneCount = opts.lanes ?? 16;
    const lanes: PlannedMutation[][] = Array.from({ length: laneCount }, () => []);
    for (const p of plan) {
      const m = p.mutation;
      const src = m.type === 'insert' ? m.values : m.key;
      const partition = Number(p.table === 'users' ? src.id : src.customer_id);
      lanes[partition % laneCount]!.push(p);
    }
    const progress = new Progress('scylla-cdc-log-writer', opts.progress === false ? null : process.stderr, {
      plural: 'mutations',
      rate: 'mutations/s',
      bytes: false,
    });
    try {
      await Promise.all(
        lanes.map(async (lane) => {
          for (const p of lane) {
            await writer.apply(keyspace, p.table, p.mutation);
            progress.records++;
          }
        }),
      );
    } finally {
      progress.done();
      seconds = progress.seconds;
    }
  } finally {
    await writer.close();
  }
  return {
    keyspace,
    systemKeyspace,
    tables: CDC_TABLES.map((t) => `${keyspace}.${t}`),
    mutations: plan.length,
    seconds,
    expected: expectedChanges(plan),
  };
}

// ---- running the source ----------------------------------------------------------------------

/** Source config: the local server, the emulated system keyspace, stop once caught up. */
export function cdcSourceConfig(endpoint: CassandraEndpoint, prepared: PreparedCdc): Record<string, unknown> {
  const config: Record<string, unknown> = {
    'topic.prefix': 'TributaryMainJob',
    'scylla.cluster.ip.addresses': endpoint.contactPoints.map((h) => `${h}:${endpoint.port}`).join(','),
    'scylla.table.names': prepared.tables.join(','),
    'scylla.local.dc': endpoint.localDataCenter,
    'scylla.consistency.level': 'ONE',
    'scylla.confidence.window.size': 500,
    'scylla.query.time.window.size': 5_000,
    'tributary.idle.poll.interval.ms': 200,
    'offset.flush.interval.ms': 2_000,
    'tributary.system.keyspace': prepared.systemKeyspace,
    'tributary.read.until': 'now',
  };
  if (endpoint.username !== undefined) {
    config['scylla.user'] = endpoint.username;
    config['scylla.password'] = endpoint.password ?? '';
  }
  return config;
}

export function cdcCatalog(prepared: PreparedCdc): Record<string, unknown> {
  return {
    streams: prepared.tables.map((t) => {
      const [namespace, name] = t.split('.') as [string, string];
      return {
        stream: { name, namespace, json_schema: {}, supported_sync_modes: ['incremental'] },
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      };
    }),
  };
}

export interface CdcStreamResult {
  readonly ops: OpCounts;
  states: number;
  /** The first record's data, to look at. */
  first: Record<string, unknown> | undefined;
}

export interface CdcReadRun {
  readonly exitCode: number | null;
  /** By `namespace.name`. */
  readonly streams: Map<string, CdcStreamResult>;
  readonly states: number;
  readonly changes: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly errors: string[];
}

/**
 * Runs the source's real `read` (e.g. [node, dist/bin.js] or [deployed/entrypoint.sh]) and counts
 * its records per stream and op, and its STATE messages, with progress on stderr.
 */
export async function runCdcRead(opts: {
  label: string;
  command: readonly string[];
  workDir: string;
  config: Record<string, unknown>;
  catalog: Record<string, unknown>;
  progress?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}): Promise<CdcReadRun> {
  const configPath = join(opts.workDir, `${opts.label}-config.json`);
  const catalogPath = join(opts.workDir, `${opts.label}-catalog.json`);
  writeFileSync(configPath, JSON.stringify(opts.config, null, 2));
  writeFileSync(catalogPath, JSON.stringify(opts.catalog, null, 2));
  const [cmd, ...args] = opts.command;
  const child = spawn(cmd!, [...args, 'read', '--config', configPath, '--catalog', catalogPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  const progress = new Progress(opts.label, opts.progress === false ? null : process.stderr, {
    plural: 'changes',
    rate: 'changes/s',
  });
  const streams = new Map<string, CdcStreamResult>();
  const stream = (key: string) => {
    let s = streams.get(key);
    if (!s) {
      s = { ops: zero(), states: 0, first: undefined };
      streams.set(key, s);
    }
    return s;
  };
  let states = 0;
  const errors: string[] = [];
  forEachLine(child.stdout, (line) => {
    progress.bytes += Buffer.byteLength(line) + 1;
    if (!line.startsWith('{')) return;
    const msg = JSON.parse(line) as {
      type: string;
      record?: { stream: string; namespace?: string; data: Record<string, unknown> };
      state?: { stream?: { stream_descriptor: { name: string; namespace?: string } } };
      trace?: { error?: { message: string } };
      log?: { level: string; message: string };
    };
    if (msg.type === 'RECORD' && msg.record) {
      const s = stream(`${msg.record.namespace}.${msg.record.stream}`);
      const op = msg.record.data.op;
      if (op === 'c' || op === 'u' || op === 'd') s.ops[op]++;
      else errors.push(`unexpected op ${JSON.stringify(op)} in ${msg.record.stream}`);
      s.first ??= msg.record.data;
      progress.records++;
    } else if (msg.type === 'STATE') {
      states++;
      const d = msg.state?.stream?.stream_descriptor;
      if (d) stream(`${d.namespace}.${d.name}`).states++;
    } else if (msg.type === 'TRACE' && msg.trace?.error) errors.push(msg.trace.error.message);
    else if (msg.type === 'LOG' && (msg.log?.level === 'ERROR' || msg.log?.level === 'FATAL'))
      errors.push(msg.log.message);
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const timer = setTimeout(() => {
    errors.push(`no end after ${(opts.timeoutMs ?? 600_000) / 1000} s: stopped`);
    child.kill('SIGTERM');
  }, opts.timeoutMs ?? 600_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  progress.done();
  if (exitCode !== 0 && stderr.trim() !== '') errors.push(`stderr: ${stderr.trim()}`);
  return {
    exitCode,
    streams,
    states,
    changes: progress.records,
    bytes: progress.bytes,
    seconds: progress.seconds,
    errors,
  };
}

// ---- verdict -----------------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString('en-US');
const ops = (o: OpCounts) => `c ${fmt(o.c)} / u ${fmt(o.u)} / d ${fmt(o.d)}`;

export interface CdcVerdict {
  readonly ok: boolean;
  /** Summary lines: the run, then one per table. */
  readonly lines: string[];
  /** What is wrong, empty when ok. */
  readonly problems: string[];
}

/** Compares a read with what the mutations must produce: exit 0, no error, counts per op, a STATE per table. */
export function verifyCdcRun(prepared: PreparedCdc, run: CdcReadRun, label = CDC_PACKAGE_DIR): CdcVerdict {
  const problems: string[] = [];
  if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}`);
  for (const e of run.errors) problems.push(`error: ${e}`);
  const tableLines: string[] = [];
  for (const table of CDC_TABLES) {
    const name = `${prepared.keyspace}.${table}`;
    const want = prepared.expected.get(table)!;
    const got = run.streams.get(name) ?? { ops: zero(), states: 0, first: undefined };
    const match = got.ops.c === want.c && got.ops.u === want.u && got.ops.d === want.d;
    if (!match) problems.push(`${name}: emitted ${ops(got.ops)}, expected ${ops(want)}`);
    if (got.states === 0) problems.push(`${name}: no STATE`);
    tableLines.push(
      `    ${name.padEnd(34)} emitted ${fmt(total(got.ops)).padStart(7)} changes (${ops(got.ops)}), ` +
        `${got.states} state${got.states === 1 ? '' : 's'}  expected ${fmt(total(want))}${match ? '' : `  MISMATCH (${ops(want)})`}`,
    );
  }
  for (const name of run.streams.keys())
    if (!prepared.tables.includes(name)) problems.push(`records of an unexpected stream ${name}`);
  const ok = problems.length === 0;
  const head =
    `${ok ? '✔' : '✘'} ${label}: exit ${run.exitCode}, ${run.states} states, ` +
    `${fmt(Math.round(run.changes / Math.max(run.seconds, 0.001)))} changes/s, ` +
    `${(run.bytes / 1e6).toFixed(1)} MB in ${run.seconds.toFixed(1)} s ` +
    `(${fmt(prepared.mutations)} mutations written in ${prepared.seconds.toFixed(1)} s)`;
  return { ok, lines: [head, ...problems.map((p) => `    problem: ${p}`), ...tableLines], problems };
}

/** The whole check: tables and mutations written, the source's `read` run, its output verified. */
export async function cdcSync(opts: {
  endpoint: CassandraEndpoint;
  tag: string;
  mutations: number;
  /** The source command, e.g. [node, dist/bin.js] or [deployed/entrypoint.sh]. */
  command: readonly string[];
  workDir: string;
  label?: string;
  progress?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): Promise<{ prepared: PreparedCdc; run: CdcReadRun; verdict: CdcVerdict }> {
  const label = opts.label ?? CDC_PACKAGE_DIR;
  const prepared = await prepareCdcTables(opts.endpoint, opts.tag, planMutations(opts.mutations), {
    progress: opts.progress,
  });
  const run = await runCdcRead({
    label,
    command: opts.command,
    workDir: opts.workDir,
    config: cdcSourceConfig(opts.endpoint, prepared),
    catalog: cdcCatalog(prepared),
    progress: opts.progress,
    env: opts.env,
    cwd: opts.cwd,
  });
  return { prepared, run, verdict: verifyCdcRun(prepared, run, label) };
}
