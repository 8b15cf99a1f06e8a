/**
 * Realistic sample data for the main job: several streams with nested objects, arrays, dates,
 * nulls, unicode, large and small records, a primary key and a cursor. Deterministic (seeded),
 * so two runs produce the same rows.
 */

export interface SampleStream {
  readonly name: string;
  readonly jsonSchema: Record<string, unknown>;
  readonly primaryKey: string[][];
  readonly cursorField: string[];
  /** Mode wished for this stream; a connector that lacks it falls back to append. */
  readonly preferredMode: 'append' | 'overwrite' | 'append_dedup';
  /** Share of all generated records. */
  readonly weight: number;
  make(i: number, rnd: () => number): Record<string, unknown>;
}

const FIRST = [
  'Zoë',
  'Åsa',
  'José',
  'Ólafur',
  '李',
  'Ольга',
  'Nguyễn',
  'Søren',
  'Aïcha',
  'Chloé',
  'محمد',
  'Kenji',
];
const LAST = [
  'Åkesson',
  'García',
  'Müller',
  'Wang',
  'Иванова',
  'Dubois',
  "O'Brien",
  'Kowalski',
  '山田',
  'Ndlovu',
];
const CITIES = ['Zürich', 'São Paulo', 'Kraków', 'Reykjavík', '東京', 'Montréal', 'Cape Town', 'Düsseldorf'];
const SKUS = ['TRB-001', 'TRB-002', 'TRB-417', 'ACC-9', 'BIG-BOX', 'GIFT-🎁'];

/** mulberry32: a tiny seeded PRNG. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;
const BASE = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

const users: SampleStream = {
  name: 'users',
  primaryKey: [['id']],
  cursorField: ['updated_at'],
  preferredMode: 'append_dedup',
  weight: 3,
  jsonSchema: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      email: { type: ['null', 'string'] },
      is_active: { type: 'boolean' },
      score: { type: 'number' },
      signup_date: { type: 'string', format: 'date' },
      updated_at: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      address: {
        type: ['null', 'object'],
        properties: {
          street: { type: 'string' },
          city: { type: 'string' },
          geo: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } } },
        },
      },
      tags: { type: 'array', items: { type: 'string' } },
      bio: { type: ['null', 'string'] },
    },
  },
  make(i, rnd) {
    const id = 1 + Math.floor(i / 2); // every user appears about twice: dedup has work to do
    const name = `${pick(FIRST, rnd)} ${pick(LAST, rnd)}`;
    return {
      id,
      name,
      email: rnd() < 0.1 ? null : `user${id}@example.com`,
      is_active: rnd() < 0.8,
      score: Math.round(rnd() * 100_000) / 100,
      signup_date: day(BASE + id * 3_600_000),
      updated_at: iso(BASE + i * 1000),
      address:
        rnd() < 0.15
          ? null
          : {
              street: `${Math.floor(rnd() * 999)} Main St`,
              city: pick(CITIES, rnd),
              geo: { lat: rnd() * 180 - 90, lon: rnd() * 360 - 180 },
            },
      tags: Array.from({ length: Math.floor(rnd() * 4) }, () =>
        pick(['vip', 'beta', 'églantine', 'näive', '新'], rnd),
      ),
      bio: rnd() < 0.5 ? null : `Bio of ${name}: “quotes”, line\nbreaks, tabs\tand emoji 🚀`,
    };
  },
};

const orders: SampleStream = {
  name: 'orders',
  primaryKey: [['order_id']],
  cursorField: ['ordered_at'],
  preferredMode: 'overwrite',
  weight: 4,
  jsonSchema: {
    type: 'object',
    properties: {
      order_id: { type: 'string' },
      user_id: { type: 'integer' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: { sku: { type: 'string' }, qty: { type: 'integer' }, price: { type: 'number' } },
        },
      },
      total: { type: 'number' },
      currency: { type: 'string' },
      ordered_at: { type: 'string', format: 'date-time' },
      shipped_on: { type: ['null', 'string'], format: 'date' },
      status: { type: 'string' },
    },
  },
  make(i, rnd) {
    const n = 1 + Math.floor(rnd() * 4);
    const items = Array.from({ length: n }, () => ({
      sku: pick(SKUS, rnd),
      qty: 1 + Math.floor(rnd() * 3),
      price: Math.round(rnd() * 20_000) / 100,
    }));
    const ordered = BASE + i * 60_000;
    return {
      order_id: `ord-${i.toString(36).padStart(8, '0')}`,
      user_id: 1 + Math.floor(rnd() * 50_000),
      items,
      total: Math.round(items.reduce((s, it) => s + it.qty * it.price, 0) * 100) / 100,
      currency: pick(['EUR', 'USD', 'JPY', 'CHF'], rnd),
      ordered_at: iso(ordered),
      shipped_on: rnd() < 0.3 ? null : day(ordered + 2 * 86_400_000),
      status: pick(['new', 'paid', 'shipped', 'refunded'], rnd),
    };
  },
};

const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit — ünïcödé ✓ ';

const events: SampleStream = {
  name: 'events',
  primaryKey: [],
  cursorField: ['ts'],
  preferredMode: 'append',
  weight: 3,
  jsonSchema: {
    type: 'object',
    properties: {
      event_id: { type: 'string' },
      type: { type: 'string' },
      ts: { type: 'string', format: 'date-time' },
      payload: { type: 'object' },
      attachment: { type: ['null', 'string'] },
    },
  },
  make(i, rnd) {
    // Most events are small; about 1 in 200 carries a ~20 KB attachment.
    const large = rnd() < 0.005;
    return {
      event_id: `evt-${i}`,
      type: pick(['page_view', 'click', 'purchase', 'signup'], rnd),
      ts: iso(BASE + i * 250),
      payload: {
        path: `/p/${Math.floor(rnd() * 100)}`,
        ref: rnd() < 0.5 ? null : 'https://example.com/?q=ß',
        depth: { a: { b: [1, 2, { c: true }] } },
      },
      attachment: large ? LOREM.repeat(300) : null,
    };
  },
};

export const SAMPLE_STREAMS: readonly SampleStream[] = [users, orders, events];

export interface GeneratedLine {
  readonly line: string;
  readonly isRecord: boolean;
  readonly stream: string;
}

/**
 * Airbyte messages for `total` records spread over the streams by weight: STARTED statuses,
 * records, a STREAM state every `stateEvery` records of a stream, then COMPLETE statuses.
 */
export function* sampleMessages(total: number, stateEvery = 5_000, seed = 42): Generator<GeneratedLine> {
  const rnd = seeded(seed);
  const emittedAt = Date.now();
  const weights = SAMPLE_STREAMS.reduce((s, st) => s + st.weight, 0);
  const counts = SAMPLE_STREAMS.map(() => 0);
  const status = (stream: string, s: string) =>
    JSON.stringify({
      type: 'TRACE',
      trace: {
        type: 'STREAM_STATUS',
        emitted_at: Date.now(),
        stream_status: { stream_descriptor: { name: stream }, status: s },
      },
    });
  for (const st of SAMPLE_STREAMS)
    yield { line: status(st.name, 'STARTED'), isRecord: false, stream: st.name };
  for (let i = 0; i < total; i++) {
    let r = rnd() * weights;
    let k = 0;
    while (r >= SAMPLE_STREAMS[k]!.weight && k < SAMPLE_STREAMS.length - 1) r -= SAMPLE_STREAMS[k++]!.weight;
    const st = SAMPLE_STREAMS[k]!;
    const n = counts[k]!++;
    const record = {
      type: 'RECORD',
      record: { stream: st.name, emitted_at: emittedAt, data: st.make(n, rnd) },
    };
    yield { line: JSON.stringify(record), isRecord: true, stream: st.name };
    if ((n + 1) % stateEvery === 0) {
      const state = {
        type: 'STATE',
        state: {
          type: 'STREAM',
          stream: { stream_descriptor: { name: st.name }, stream_state: { position: n + 1 } },
        },
      };
      yield { line: JSON.stringify(state), isRecord: false, stream: st.name };
    }
  }
  for (let k = 0; k < SAMPLE_STREAMS.length; k++) {
    const st = SAMPLE_STREAMS[k]!;
    const state = {
      type: 'STATE',
      state: {
        type: 'STREAM',
        stream: { stream_descriptor: { name: st.name }, stream_state: { position: counts[k] } },
      },
    };
    yield { line: JSON.stringify(state), isRecord: false, stream: st.name };
    yield { line: status(st.name, 'COMPLETE'), isRecord: false, stream: st.name };
  }
}

/** Records per stream that `sampleMessages(total)` produces, and distinct primary keys. */
export function expectedCounts(
  total: number,
  seed = 42,
): Map<string, { records: number; distinctKeys: number }> {
  const out = new Map<string, { records: number; keys: Set<string> }>();
  for (const st of SAMPLE_STREAMS) out.set(st.name, { records: 0, keys: new Set() });
  for (const g of sampleMessages(total, 5_000, seed)) {
    if (!g.isRecord) continue;
    const entry = out.get(g.stream)!;
    entry.records++;
    const st = SAMPLE_STREAMS.find((s) => s.name === g.stream)!;
    if (st.primaryKey.length > 0) {
      const data = (JSON.parse(g.line) as { record: { data: Record<string, unknown> } }).record.data;
      entry.keys.add(st.primaryKey.map((p) => String(data[p[0]!])).join('|'));
    }
  }
  return new Map(
    [...out].map(([k, v]) => [k, { records: v.records, distinctKeys: v.keys.size || v.records }]),
  );
}

/** The configured catalog for a connector supporting `modes`. */
export function sampleCatalog(modes: readonly string[], generationId = 1): Record<string, unknown> {
  return {
    streams: SAMPLE_STREAMS.map((st) => {
      const mode = modes.includes(st.preferredMode) ? st.preferredMode : 'append';
      return {
        stream: {
          name: st.name,
          json_schema: st.jsonSchema,
          supported_sync_modes: ['full_refresh', 'incremental'],
          source_defined_primary_key: st.primaryKey,
        },
        sync_mode: mode === 'overwrite' ? 'full_refresh' : 'incremental',
        destination_sync_mode: mode,
        primary_key: st.primaryKey,
        cursor_field: st.cursorField,
        generation_id: generationId,
        minimum_generation_id: mode === 'overwrite' ? generationId : 0,
        sync_id: generationId,
      };
    }),
  };
}

/** A short unique suffix for one run's keyspaces, tables and streams (lowercase, [a-z0-9]). */
export function runTag(now = Date.now()): string {
  return `r${now.toString(36)}`;
}
