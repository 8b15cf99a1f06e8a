// The integration suite both CQL destinations run against a real Cassandra 5.0 (testkit): the
// upstream acceptance cases and the modern (bulk CDK) cases, through the real bin.
import type cassandra from 'cassandra-driver';
import {
  edgeCaseData,
  edgeCaseMessages,
  edgeCaseStreams,
  exchangeRateData,
  exchangeRateMessages,
  exchangeRateStreams,
} from './fixtures.js';
import {
  catalogOf,
  columnsOf,
  configFor,
  endpoint,
  globalState,
  type Json,
  newClient,
  rawDataOf,
  record,
  rowsOf,
  runCommand,
  runWrite,
  sortByJson,
  type StreamDef,
  streamState,
  streamStatus,
  tableExists,
  uniqueKeyspace,
} from './harness.js';

export interface SuiteOptions {
  /** Product name, for test titles. */
  readonly product: string;
  /** Absolute path of the built bin (dist/bin.js). */
  readonly bin: string;
  /** false: a representative subset (the Scylla package, against Cassandra). */
  readonly full: boolean;
  /** The config may omit `datacenter`, which is then detected (Scylla). */
  readonly detectsDatacenter?: boolean;
}

function withoutStats(state: Json): Json {
  const { destinationStats: _d, ...rest } = state;
  return rest;
}

/** Per-stream states are ordered per stream: each stream's last state comes out last, every state comes out. */
function expectStatesEchoed(out: Json[], messages: Json[]): void {
  const input = messages.filter((m) => m.type === 'STATE').map((m) => m.state as Json);
  expect(sortByJson(out.map(withoutStats))).toEqual(sortByJson(input));
  const lastOf = (states: Json[]) => {
    const byStream = new Map<string, Json>();
    for (const s of states)
      byStream.set(
        JSON.stringify((s.stream as Json | undefined)?.stream_descriptor ?? null),
        withoutStats(s),
      );
    return byStream;
  };
  expect(lastOf(out)).toEqual(lastOf(input));
}

export function defineCqlIntegrationSuite(o: SuiteOptions): void {
  const { bin } = o;
  let client: cassandra.Client;
  const full = o.full ? it : it.skip;

  beforeAll(async () => {
    client = newClient();
    await client.connect();
  });
  afterAll(async () => {
    await client?.shutdown();
  });

  const config = (keyspace: string, extra: Json = {}) => configFor(endpoint(), keyspace, extra);
  const typedRows = async (ks: string, table: string, orderBy = 'id') =>
    (await rowsOf(client, ks, table)).sort((a, b) => Number(a[orderBy]) - Number(b[orderBy]));

  describe(`${o.product}: spec and check`, () => {
    it('spec: upstream fields, defaults and secrets, plus the new options', async () => {
      const r = await runCommand(bin, 'spec');
      expect(r.code).toBe(0);
      const spec = r.lines.find((l) => l.type === 'SPEC')!.spec as Json;
      const cs = spec.connectionSpecification as Json;
      const props = cs.properties as Record<string, Json>;
      for (const f of ['keyspace', 'username', 'password', 'address', 'port', 'replication'])
        expect(props[f]).toBeDefined();
      expect(props.port!.default).toBe(9042);
      expect(props.replication!.default).toBe(1);
      expect(props.password!.airbyte_secret).toBe(true);
      expect(props.layout!.default).toBe('typed');
      expect(cs.additionalProperties).toBe(true);
      expect(spec.supported_destination_sync_modes).toEqual(
        expect.arrayContaining(['overwrite', 'append', 'append_dedup']),
      );
    });

    it('check: succeeds, and leaves no table behind', async () => {
      const ks = uniqueKeyspace('chk');
      const r = await runCommand(bin, 'check', config(ks));
      const status = r.lines.find((l) => l.type === 'CONNECTION_STATUS')?.connectionStatus as Json;
      expect(status).toEqual({ status: 'SUCCEEDED' });
      const rs = await client.execute(
        'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?',
        [ks],
        { prepare: true },
      );
      expect(rs.rowLength).toBe(0);
    });

    (o.detectsDatacenter ? it : () => undefined)(
      'no datacenter in the config: detected from the contact point',
      async () => {
        const ks = uniqueKeyspace('dc');
        const { datacenter: _dc, ...cfg } = config(ks, { layout: 'typed' });
        const r = await runWrite(
          bin,
          cfg,
          catalogOf([{ name: 'd', schema: { type: 'object', properties: { id: { type: 'integer' } } } }]),
          [record('d', { id: 1 })],
        );
        expect(r.code).toBe(0);
        expect(r.logs.join('\n')).toMatch(new RegExp(`local data centre ${endpoint().localDataCenter}`));
        expect(await rowsOf(client, ks, 'd')).toHaveLength(1);
      },
    );

    it('check: an unreachable host fails with a message naming host and port', async () => {
      const r = await runCommand(bin, 'check', config('whatever', { address: '127.0.0.1', port: 1 }));
      const status = r.lines.find((l) => l.type === 'CONNECTION_STATUS')?.connectionStatus as Json;
      expect(status.status).toBe('FAILED');
      expect(String(status.message)).toMatch(/cannot reach 127\.0\.0\.1:1\b.*refused/);
    });

    it('check: a data centre the cluster does not have is named, with the ones it has', async () => {
      const r = await runCommand(bin, 'check', config(uniqueKeyspace('dc'), { datacenter: 'no_such_dc' }));
      const status = r.lines.find((l) => l.type === 'CONNECTION_STATUS')?.connectionStatus as Json;
      expect(status.status).toBe('FAILED');
      expect(String(status.message)).toContain(
        `datacenter "no_such_dc" is not a data centre of this cluster; set datacenter to one of: ${endpoint().localDataCenter}`,
      );
    });

    it('write: an unreachable cluster fails the sync with a TRACE error and a non-zero exit', async () => {
      const r = await runWrite(
        bin,
        config('whatever', { port: 1 }),
        catalogOf(exchangeRateStreams),
        exchangeRateMessages(),
      );
      expect(r.code).not.toBe(0);
      const error = r.traces.find((t) => t.type === 'ERROR')?.error as Json;
      expect(String(error.message)).toMatch(/cannot reach 127\.0\.0\.1:1/);
      expect(r.states).toHaveLength(0);
    });
  });

  describe(`${o.product}: upstream acceptance cases`, () => {
    it('exchange-rate sync, raw layout (config without "layout", as upstream): data and last state', async () => {
      const ks = uniqueKeyspace('xr_raw');
      const messages = exchangeRateMessages();
      const r = await runWrite(bin, config(ks), catalogOf(exchangeRateStreams), messages);
      expect(r.code).toBe(0);
      expect(r.logs.join('\n')).toMatch(/layout: raw/);
      expectStatesEchoed(r.states, messages);
      const expected = exchangeRateData.filter((d) => d.stream === 'exchange_rate').map((d) => d.data);
      expect(await rawDataOf(client, ks, 'airbyte_raw_exchange_rate')).toEqual(expected);
      expect(await rawDataOf(client, ks, 'airbyte_raw_dummy_stream')).toEqual([{ id: 1, note: 'sibling' }]);
      const cols = await columnsOf(client, ks, 'airbyte_raw_exchange_rate');
      expect(cols).toMatchObject({
        _airbyte_ab_id: 'uuid',
        _airbyte_data: 'text',
        _airbyte_emitted_at: 'timestamp',
      });
      const rows = await rowsOf(client, ks, 'airbyte_raw_exchange_rate');
      // emitted_at is the record's, not the insert time (upstream used now()).
      expect(rows.map((x) => x._airbyte_emitted_at).sort()[0]).toBe('2024-01-01T00:00:00.000Z');
    });

    it('raw layout: integers beyond 2^53 are stored digit for digit', async () => {
      const ks = uniqueKeyspace('raw_big');
      // Written by hand: JSON.stringify cannot produce these numbers.
      const line =
        '{"type":"RECORD","record":{"stream":"exchange_rate","data":{"id":12345678901234567891,"HKD":-98765432109876543210,"NZD":1.5},"emitted_at":1704067200000}}';
      const r = await runWrite(bin, config(ks), catalogOf(exchangeRateStreams.slice(0, 1)), [line]);
      expect(r.code).toBe(0);
      const rows = await rowsOf(client, ks, 'airbyte_raw_exchange_rate');
      expect(rows.map((x) => x._airbyte_data)).toEqual([
        '{"id":12345678901234567891,"HKD":-98765432109876543210,"NZD":1.5}',
      ]);
    });

    it('typed layout: 64-bit and larger integers are stored exactly, also as dedup keys', async () => {
      const ks = uniqueKeyspace('typed_big');
      const schema = {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          wide: { type: 'integer', airbyte_type: 'big_integer' },
          doc: { type: 'object' },
        },
      };
      // Written by hand: JSON.stringify cannot produce these numbers.
      const line = (id: string) =>
        `{"type":"RECORD","record":{"stream":"big","data":{"id":${id},"wide":12345678901234567891234,"doc":{"n":12345678901234567899}},"emitted_at":1704067200000}}`;
      const r = await runWrite(
        bin,
        config(ks, { layout: 'typed' }),
        catalogOf([{ name: 'big', schema, mode: 'append_dedup', primaryKey: [['id']] }]),
        // Differ only past the 16th digit: two rows, not one updated twice.
        [line('1234567890123456789'), line('1234567890123456788')],
      );
      expect(r.code).toBe(0);
      const rows = await client.execute(`SELECT id, wide, doc FROM ${ks}.big`);
      expect(rows.rows.map((x) => String(x.id)).sort()).toEqual([
        '1234567890123456788',
        '1234567890123456789',
      ]);
      expect(rows.rows.map((x) => String(x.wide))).toEqual([
        '12345678901234567891234',
        '12345678901234567891234',
      ]);
      expect(rows.rows.map((x) => x.doc)).toEqual([
        '{"n":12345678901234567899}',
        '{"n":12345678901234567899}',
      ]);
    });

    it('exchange-rate sync, typed layout: one column per field, typed values, V2 metadata', async () => {
      const ks = uniqueKeyspace('xr_typed');
      const streams = exchangeRateStreams.map((s) => ({ ...s, syncId: 42, generationId: 3 }));
      const r = await runWrite(
        bin,
        config(ks, { layout: 'typed' }),
        catalogOf(streams),
        exchangeRateMessages(),
      );
      expect(r.code).toBe(0);
      const cols = await columnsOf(client, ks, 'exchange_rate');
      expect(cols).toMatchObject({
        id: 'bigint',
        currency: 'text',
        date: 'date',
        timestamp_col: 'timestamp',
        hkd: 'double',
        nzd: 'double',
        usd: 'double',
        hkd_special___characters: 'double',
        _airbyte_raw_id: 'uuid',
        _airbyte_extracted_at: 'timestamp',
        _airbyte_loaded_at: 'timestamp',
        _airbyte_meta: 'text',
        _airbyte_generation_id: 'bigint',
      });
      const rows = await typedRows(ks, 'exchange_rate');
      expect(rows.map((x) => x.currency)).toEqual(['USD', 'EUR', 'GBP', 'JPY']);
      expect(rows[1]).toMatchObject({
        id: '2',
        date: '2020-08-30',
        timestamp_col: '2020-08-30T04:00:00.000Z',
        nzd: 3.89,
        hkd_special___characters: 7.15,
      });
      expect(rows[2]!.timestamp_col).toBe('2020-08-30T17:00:00.000Z');
      expect(rows[0]!._airbyte_generation_id).toBe('3');
      expect(JSON.parse(String(rows[0]!._airbyte_meta))).toEqual({ sync_id: 42, changes: [] });
      expect(rows[0]!._airbyte_extracted_at).toBe('2024-01-01T00:00:00.000Z');
    });

    full(
      'edge-case sync, raw and typed: names, reserved words, sparse and nested values, dates',
      async () => {
        const ks = uniqueKeyspace('edge');
        const raw = await runWrite(
          bin,
          config(ks, { layout: 'raw' }),
          catalogOf(edgeCaseStreams),
          edgeCaseMessages(),
        );
        expect(raw.code).toBe(0);
        expect(raw.states.map(withoutStats)).toEqual([{ data: { start_date: '2022-02-14' } }]);
        const rawTables: Record<string, string> = {
          streamWithCamelCase: 'airbyte_raw_streamwithcamelcase',
          'stream-with:spécial:character_names': 'airbyte_raw_stream_with_special_character_names',
          CapitalCase: 'airbyte_raw_capitalcase',
          reserved_keywords: 'airbyte_raw_reserved_keywords',
          groups: 'airbyte_raw_groups',
          sparse_nested_stream: 'airbyte_raw_sparse_nested_stream',
          binary_and_dates: 'airbyte_raw_binary_and_dates',
        };
        for (const [stream, table] of Object.entries(rawTables)) {
          const expected = edgeCaseData.filter((d) => d.stream === stream).map((d) => d.data);
          expect(await rawDataOf(client, ks, table)).toEqual(expected);
        }

        const ks2 = uniqueKeyspace('edge_t');
        const typed = await runWrite(
          bin,
          config(ks2, { layout: 'typed' }),
          catalogOf(edgeCaseStreams),
          edgeCaseMessages(),
        );
        expect(typed.code).toBe(0);
        expect(await rowsOf(client, ks2, 'reserved_keywords')).toEqual([
          expect.objectContaining({ order: '3', select: 'all', from: true }),
        ]);
        expect(await rowsOf(client, ks2, 'stream_with_special_character_names')).toEqual([
          expect.objectContaining({ field_with_special_character: 'ok', field_with_spaces: 'x y' }),
        ]);
        expect(await rowsOf(client, ks2, 'capitalcase')).toEqual([
          expect.objectContaining({ id: '10', name: 'Upper' }),
        ]);
        const sparse = await typedRows(ks2, 'sparse_nested_stream');
        expect(sparse.map((x) => [x.a, x.b, x.nested, x.list])).toEqual([
          ['only a', null, null, null],
          [null, 2.5, '{"x":"deep"}', null],
          [null, null, null, '[1,2,3]'],
          [null, null, null, null],
        ]);
        const dates = await typedRows(ks2, 'binary_and_dates');
        expect(dates[0]).toMatchObject({
          blob: 'aGVsbG8gd29ybGQ=',
          d: '2022-02-28',
          dt: '2022-02-28T10:11:12.000Z',
          dt_local: '2022-02-28T10:11:12.000Z',
          t: '10:11:12',
        });
        expect(dates[1]).toMatchObject({
          d: '1970-01-01',
          dt: '2022-02-28T04:41:12.123Z',
          dt_local: '2022-02-28T10:11:12.000Z',
          t: '23:59:59.999',
        });
        expect(dates[2]).toMatchObject({ d: null, dt: null, t: null });
        const changes = (JSON.parse(String(dates[2]!._airbyte_meta)) as { changes: Json[] }).changes;
        expect(sortByJson(changes)).toEqual(
          sortByJson(
            ['d', 'dt', 't'].map((field) => ({
              field,
              change: 'NULLED',
              reason: 'DESTINATION_SERIALIZATION_ERROR',
            })),
          ),
        );
      },
    );

    full('the same fixtures x400', async () => {
      const ks = uniqueKeyspace('x400');
      const r1 = await runWrite(
        bin,
        config(ks, { layout: 'typed' }),
        catalogOf(exchangeRateStreams),
        exchangeRateMessages(400),
      );
      expect(r1.code).toBe(0);
      expect((await rowsOf(client, ks, 'exchange_rate')).length).toBe(1600);
      expect((await rowsOf(client, ks, 'dummy_stream')).length).toBe(400);
      const r2 = await runWrite(
        bin,
        config(ks, { layout: 'raw' }),
        catalogOf(edgeCaseStreams),
        edgeCaseMessages(400),
      );
      expect(r2.code).toBe(0);
      expect((await rowsOf(client, ks, 'airbyte_raw_binary_and_dates')).length).toBe(1200);
      expect((await rowsOf(client, ks, 'airbyte_raw_streamwithcamelcase')).length).toBe(800);
    });

    full('a second overwrite sync replaces its stream and leaves a sibling stream alone', async () => {
      const ks = uniqueKeyspace('second');
      const overwrite = exchangeRateStreams.map((s) => ({ ...s, mode: 'overwrite' as const }));
      expect((await runWrite(bin, config(ks), catalogOf(overwrite), exchangeRateMessages())).code).toBe(0);
      const second = [
        record('exchange_rate', { id: 10, currency: 'CHF', date: '2020-09-02', NZD: 1, HKD: 1, USD: 1 }),
        record('exchange_rate', { id: 11, currency: 'SEK', date: '2020-09-03', NZD: 2, HKD: 2, USD: 2 }),
        streamState('exchange_rate', { checkpoint: 3 }),
      ];
      const r = await runWrite(bin, config(ks), catalogOf([overwrite[0]!]), second);
      expect(r.code).toBe(0);
      expect((await rawDataOf(client, ks, 'airbyte_raw_exchange_rate')).map((d) => d.id)).toEqual([10, 11]);
      expect(await rawDataOf(client, ks, 'airbyte_raw_dummy_stream')).toEqual([{ id: 1, note: 'sibling' }]);
    });

    it('line-break characters survive in both layouts', async () => {
      const ks = uniqueKeyspace('lines');
      const stream: StreamDef = {
        name: 'lines',
        schema: { type: 'object', properties: { id: { type: 'integer' }, s: { type: 'string' } } },
      };
      const values = ['foo\u2028bar', 'foo\nbar', 'foo\rbar', 'a\r\nb'];
      const messages = [
        ...values.map((s, i) => record('lines', { id: i, s }, { emittedAt: 1000 + i })),
        streamState('lines', {}),
      ];
      for (const layout of ['raw', 'typed']) {
        const k = `${ks}_${layout}`;
        expect((await runWrite(bin, config(k, { layout }), catalogOf([stream]), messages)).code).toBe(0);
      }
      expect((await rawDataOf(client, `${ks}_raw`, 'airbyte_raw_lines')).map((d) => d.s)).toEqual(values);
      expect((await typedRows(`${ks}_typed`, 'lines')).map((d) => d.s)).toEqual(values);
    });

    full('incremental append: a second sync adds to the first', async () => {
      const ks = uniqueKeyspace('append');
      const streams = exchangeRateStreams.map((s) => ({ ...s, mode: 'append' as const }));
      expect((await runWrite(bin, config(ks), catalogOf(streams), exchangeRateMessages())).code).toBe(0);
      expect((await runWrite(bin, config(ks), catalogOf(streams), exchangeRateMessages())).code).toBe(0);
      expect((await rowsOf(client, ks, 'airbyte_raw_exchange_rate')).length).toBe(8);
    });

    full('namespaces become keyspaces with the upstream normalisation', async () => {
      const cases: Array<[string, string]> = [
        ['NAMESPACE', 'namespace'],
        ['Dest_1001_Namespace', 'dest_1001_namespace'],
        ['namespace_with_spécial_character', 'namespace_with_special_character'],
        ['99namespace', '99namespace'],
      ];
      const drop = () => Promise.all(cases.map(([, k]) => client.execute(`DROP KEYSPACE IF EXISTS "${k}"`)));
      await drop();
      try {
        const streams: StreamDef[] = cases.map(([ns]) => ({
          name: 'data',
          namespace: ns,
          schema: { type: 'object', properties: { v: { type: 'string' } } },
        }));
        const messages = cases.map(([ns]) => record('data', { v: ns }, { namespace: ns }));
        const r = await runWrite(bin, config('default_ks'), catalogOf(streams), [
          ...messages,
          globalState({ done: true }),
        ]);
        expect(r.code).toBe(0);
        expect(withoutStats(r.states.at(-1)!)).toEqual({
          type: 'GLOBAL',
          global: { shared_state: { done: true }, stream_states: [] },
        });
        for (const [ns, keyspace] of cases) {
          expect(await rawDataOf(client, keyspace, 'airbyte_raw_data')).toEqual([{ v: ns }]);
        }
      } finally {
        await drop();
      }
    });

    full('fields not in the schema do not fail the sync', async () => {
      const ks = uniqueKeyspace('newf');
      const stream: StreamDef = {
        name: 's',
        schema: { type: 'object', properties: { id: { type: 'integer' } } },
      };
      const first = [record('s', { id: 1 }), streamState('s', { a: 1 })];
      const second = [
        record('s', { id: 2, surprise: 'x', nested: { y: 1 } }),
        record('s', { id: 3, other: [1] }),
        streamState('s', { a: 2 }),
      ];
      for (const layout of ['raw', 'typed']) {
        const k = `${ks}_${layout}`;
        expect((await runWrite(bin, config(k, { layout }), catalogOf([stream]), first)).code).toBe(0);
        const r = await runWrite(bin, config(k, { layout }), catalogOf([stream]), second);
        expect(r.code).toBe(0);
        expect(withoutStats(r.states.at(-1)!)).toEqual(second[2]!.state);
        expect((await rowsOf(client, k, layout === 'raw' ? 'airbyte_raw_s' : 's')).length).toBe(3);
      }
      // The raw layout keeps everything the record had.
      expect((await rawDataOf(client, `${ks}_raw`, 'airbyte_raw_s')).find((d) => d.id === 2)).toEqual({
        id: 2,
        surprise: 'x',
        nested: { y: 1 },
      });
    });
  });

  describe(`${o.product}: modern cases`, () => {
    it('killed mid-sync (SIGKILL) then rerun: every record covered by an acknowledged state is there', async () => {
      const ks = uniqueKeyspace('kill');
      const stream: StreamDef = {
        name: 'events',
        schema: { type: 'object', properties: { id: { type: 'integer' }, pad: { type: 'string' } } },
      };
      const messages: Json[] = [];
      const total = 30_000;
      for (let i = 1; i <= total; i++) {
        messages.push(record('events', { id: i, pad: 'x'.repeat(50) }));
        if (i % 1000 === 0) messages.push(streamState('events', { upTo: i }));
      }
      const r1 = await runWrite(bin, config(ks, { layout: 'typed' }), catalogOf([stream]), messages, {
        killAfterStates: 3,
      });
      expect(r1.signal).toBe('SIGKILL');
      const acked = Math.max(...r1.states.map((s) => Number(((s.stream as Json).stream_state as Json).upTo)));
      expect(acked).toBeGreaterThanOrEqual(3000);
      const ids = new Set((await rowsOf(client, ks, 'events')).map((x) => Number(x.id)));
      for (let i = 1; i <= acked; i++)
        if (!ids.has(i)) throw new Error(`record ${i} was acknowledged but is missing`);
      // Rerun from the last acknowledged state: the source resends what came after it.
      const rest = messages.filter(
        (m) => m.type === 'STATE' || Number(((m.record as Json)?.data as Json)?.id) > acked,
      );
      const r2 = await runWrite(
        bin,
        config(ks, { layout: 'typed' }),
        catalogOf([stream]),
        rest.filter(
          (m) =>
            m.type !== 'STATE' ||
            Number(((m.state as Json).stream as Json as { stream_state: Json }).stream_state.upTo) > acked,
        ),
      );
      expect(r2.code).toBe(0);
      const after = new Set((await rowsOf(client, ks, 'events')).map((x) => Number(x.id)));
      expect(after.size).toBe(total);
    });

    it('a write that cannot succeed fails the sync: TRACE error, non-zero exit, no state past it', async () => {
      const ks = uniqueKeyspace('fail');
      const stream: StreamDef = {
        name: 'doomed',
        schema: { type: 'object', properties: { id: { type: 'integer' } } },
      };
      const messages: Json[] = [];
      for (let i = 1; i <= 20_000; i++) {
        messages.push(record('doomed', { id: i }));
        if (i % 500 === 0) messages.push(streamState('doomed', { upTo: i }));
      }
      let dropped: Promise<unknown> | null = null;
      const r = await runWrite(bin, config(ks, { layout: 'typed' }), catalogOf([stream]), messages, {
        onState: () => {
          // The table disappears under the sync: every later write is refused by the server.
          dropped ??= client.execute(`DROP TABLE IF EXISTS ${ks}.doomed`);
        },
      });
      await dropped;
      expect(r.code).not.toBe(0);
      const error = r.traces.find((t) => t.type === 'ERROR')?.error as Json;
      expect(String(error.message)).toMatch(new RegExp(`writing to ${ks}\\.doomed`));
      expect(r.states.length).toBeGreaterThan(0);
      expect(Number(((r.states.at(-1)!.stream as Json).stream_state as Json).upTo)).toBeLessThan(20_000);
    });

    it('truncate refresh: older generations disappear at COMPLETE', async () => {
      const ks = uniqueKeyspace('trunc');
      const schema = { type: 'object', properties: { id: { type: 'integer' } } };
      const gen = (g: number, min: number): StreamDef[] => [
        { name: 't', schema, generationId: g, minimumGenerationId: min, syncId: g },
      ];
      for (const layout of ['typed', 'raw']) {
        const k = `${ks}_${layout}`;
        const table = layout === 'raw' ? 'airbyte_raw_t' : 't';
        const cfg = config(k, { layout });
        await runWrite(bin, cfg, catalogOf(gen(1, 0)), [
          record('t', { id: 1 }),
          record('t', { id: 2 }),
          streamStatus('t', 'COMPLETE'),
        ]);
        const r = await runWrite(bin, cfg, catalogOf(gen(2, 2)), [
          streamStatus('t', 'STARTED'),
          record('t', { id: 3 }),
          streamState('t', { s: 1 }),
          streamStatus('t', 'COMPLETE'),
        ]);
        expect(r.code).toBe(0);
        const rows = await rowsOf(client, k, table);
        expect(rows.map((x) => String(x._airbyte_generation_id))).toEqual(['2']);
      }
    });

    full(
      'interrupted truncate with prior data keeps the old rows; the next complete sync keeps both attempts',
      async () => {
        const ks = uniqueKeyspace('itrunc');
        const schema = { type: 'object', properties: { id: { type: 'integer' } } };
        const gen = (g: number, min: number): StreamDef[] => [
          { name: 't', schema, generationId: g, minimumGenerationId: min },
        ];
        const cfg = config(ks, { layout: 'typed' });
        await runWrite(bin, cfg, catalogOf(gen(1, 0)), [
          record('t', { id: 1 }),
          record('t', { id: 2 }),
          streamStatus('t', 'COMPLETE'),
        ]);
        // Interrupted: the stream never reports COMPLETE (INCOMPLETE, then the input ends).
        const r = await runWrite(bin, cfg, catalogOf(gen(2, 2)), [
          streamStatus('t', 'STARTED'),
          record('t', { id: 3 }),
          streamState('t', { s: 1 }),
          streamStatus('t', 'INCOMPLETE'),
        ]);
        expect(r.states).toHaveLength(1);
        let ids = (await typedRows(ks, 't')).map((x) => Number(x.id));
        expect(ids).toEqual([1, 2, 3]);
        const r2 = await runWrite(bin, cfg, catalogOf(gen(2, 2)), [
          streamStatus('t', 'STARTED'),
          record('t', { id: 4 }),
          streamStatus('t', 'COMPLETE'),
        ]);
        expect(r2.code).toBe(0);
        ids = (await typedRows(ks, 't')).map((x) => Number(x.id));
        expect(ids).toEqual([3, 4]);
      },
    );

    full(
      'interrupted truncate without prior data, then a complete retry of the same generation',
      async () => {
        const ks = uniqueKeyspace('itrunc0');
        const schema = { type: 'object', properties: { id: { type: 'integer' } } };
        const cat = catalogOf([{ name: 't', schema, generationId: 1, minimumGenerationId: 1 }]);
        const cfg = config(ks, { layout: 'typed' });
        await runWrite(
          bin,
          cfg,
          cat,
          [streamStatus('t', 'STARTED'), record('t', { id: 1 }), streamState('t', { s: 1 })],
          { killAfterStates: 1 },
        );
        expect((await typedRows(ks, 't')).map((x) => Number(x.id))).toEqual([1]);
        expect(
          (
            await runWrite(bin, cfg, cat, [
              streamStatus('t', 'STARTED'),
              record('t', { id: 2 }),
              streamStatus('t', 'COMPLETE'),
            ])
          ).code,
        ).toBe(0);
        expect((await typedRows(ks, 't')).map((x) => Number(x.id))).toEqual([1, 2]);
      },
    );

    full(
      'truncate with no records empties older generations; legacy overwrite with no records too',
      async () => {
        const ks = uniqueKeyspace('trunc0');
        const schema = { type: 'object', properties: { id: { type: 'integer' } } };
        const cfg = config(ks, { layout: 'typed' });
        await runWrite(
          bin,
          cfg,
          catalogOf([{ name: 't', schema, generationId: 1, minimumGenerationId: 0 }]),
          [record('t', { id: 1 })],
        );
        const r = await runWrite(
          bin,
          cfg,
          catalogOf([{ name: 't', schema, generationId: 2, minimumGenerationId: 2 }]),
          [streamStatus('t', 'STARTED'), streamStatus('t', 'COMPLETE')],
        );
        expect(r.code).toBe(0);
        expect(await rowsOf(client, ks, 't')).toEqual([]);
        // Platforms without refreshes: overwrite, no generation ids, no stream statuses.
        await runWrite(bin, cfg, catalogOf([{ name: 'u', schema }]), [
          record('u', { id: 1 }),
          record('u', { id: 2 }),
        ]);
        expect(
          (await runWrite(bin, cfg, catalogOf([{ name: 'u', schema, mode: 'overwrite' }]), [])).code,
        ).toBe(0);
        expect(await rowsOf(client, ks, 'u')).toEqual([]);
      },
    );

    it('dedup: composite key, out-of-order cursors, CDC deletes, across two syncs (typed and raw)', async () => {
      const ks = uniqueKeyspace('dedup');
      const schema = {
        type: 'object',
        properties: {
          id1: { type: 'integer' },
          id2: { type: 'integer' },
          updated_at: { type: ['null', 'string'], format: 'date-time' },
          name: { type: 'string' },
          _ab_cdc_deleted_at: { type: ['null', 'string'], format: 'date-time' },
        },
      };
      const s: StreamDef = {
        name: 'people',
        schema,
        mode: 'append_dedup',
        primaryKey: [['id1'], ['id2']],
        cursor: ['updated_at'],
      };
      const rec = (id1: number | null, id2: number, at: string | null, name: string, del = false) =>
        record('people', { id1, id2, updated_at: at, name, ...(del ? { _ab_cdc_deleted_at: at } : {}) });
      const sync1 = [
        rec(1, 200, '2000-01-01T00:00:00Z', 'Alice1'),
        rec(1, 200, '2000-01-01T00:01:00Z', 'Alice2'),
        rec(1, 201, '2000-01-01T00:02:00Z', 'Bob1'),
        rec(1, 201, '2000-01-01T00:01:30Z', 'Bob0 (late arrival, older cursor)'),
        rec(2, 200, '2000-01-01T00:03:00Z', 'Carol1'),
        rec(2, 200, '2000-01-01T00:04:00Z', 'Carol deleted', true),
        rec(3, 300, '2000-01-01T00:05:00Z', 'never existed', true),
        rec(4, 400, '2000-01-01T00:05:00Z', 'with cursor'),
        rec(4, 400, null, 'null cursor is older'),
        rec(null, 1, '2000-01-01T00:05:00Z', 'no key: rejected'),
        streamState('people', { s: 1 }),
      ];
      const sync2 = [
        rec(1, 200, '2000-01-02T00:00:00Z', 'Alice3'),
        rec(1, 201, '1999-12-31T00:00:00Z', 'Bob old'),
        rec(2, 200, '2000-01-02T00:00:00Z', 'Carol2'),
        streamState('people', { s: 2 }),
      ];
      for (const layout of ['typed', 'raw']) {
        const k = `${ks}_${layout}`;
        const r1 = await runWrite(bin, config(k, { layout }), catalogOf([s]), sync1);
        expect(r1.code).toBe(0);
        expect((r1.states[0]!.destinationStats as Json).rejectedRecordCount).toBe(1);
        const names = async () => {
          const rows =
            layout === 'typed'
              ? (await rowsOf(client, k, 'people')).map((x) => ({
                  id1: Number(x.id1),
                  id2: Number(x.id2),
                  name: x.name,
                }))
              : (await rawDataOf(client, k, 'airbyte_raw_people')).map((d) => ({
                  id1: d.id1,
                  id2: d.id2,
                  name: d.name,
                }));
          return sortByJson(rows);
        };
        expect(await names()).toEqual(
          sortByJson([
            { id1: 1, id2: 200, name: 'Alice2' },
            { id1: 1, id2: 201, name: 'Bob1' },
            { id1: 4, id2: 400, name: 'with cursor' },
          ]),
        );
        expect((await runWrite(bin, config(k, { layout }), catalogOf([s]), sync2)).code).toBe(0);
        expect(await names()).toEqual(
          sortByJson([
            { id1: 1, id2: 200, name: 'Alice3' },
            { id1: 1, id2: 201, name: 'Bob1' },
            { id1: 2, id2: 200, name: 'Carol2' },
            { id1: 4, id2: 400, name: 'with cursor' },
          ]),
        );
      }
      const keyCols = await client.execute(
        "SELECT column_name, kind FROM system_schema.columns WHERE keyspace_name = ? AND table_name = 'people'",
        [`${ks}_typed`],
        { prepare: true },
      );
      expect(
        keyCols.rows
          .filter((x) => x.get('kind') === 'partition_key')
          .map((x) => x.get('column_name'))
          .sort(),
      ).toEqual(['id1', 'id2']);
    });

    it('one node: rows travel in unlogged batches; write_batch_rows 1 sends one row per request', async () => {
      const ks = uniqueKeyspace('batch');
      const s: StreamDef = {
        name: 'b',
        schema: { type: 'object', properties: { id: { type: 'integer' }, v: { type: 'string' } } },
        mode: 'append',
      };
      const input = [
        ...Array.from({ length: 500 }, (_, i) =>
          // Every 50th record is too big to share a batch: it goes alone, nothing is lost.
          record('b', { id: i, v: i % 50 === 0 ? 'x'.repeat(6000) : `v${i}` }),
        ),
        streamState('b', { n: 500 }),
      ];
      const requestsOf = (logs: string[]) => {
        const m = logs.map((l) => /(\d+) row write\(s\) in (\d+) request\(s\)/.exec(l)).find((x) => x);
        return m ? { rows: Number(m[1]), requests: Number(m[2]) } : null;
      };
      const batched = await runWrite(
        bin,
        config(ks, { layout: 'typed', write_batch_rows: 16 }),
        catalogOf([s]),
        input,
      );
      expect(batched.code).toBe(0);
      expect(
        batched.logs.some((l) =>
          /rows go in unlogged batches of up to 16 and [\d.]+ KiB \(the server warns above [\d.]+ KiB\)/.test(
            l,
          ),
        ),
      ).toBe(true);
      const b = requestsOf(batched.logs)!;
      expect(b.rows).toBe(500);
      // 490 small rows in batches of at most 16, 10 large rows alone.
      expect(b.requests).toBeGreaterThanOrEqual(10 + Math.ceil(490 / 16));
      expect(b.requests).toBeLessThan(100);
      const rows = await typedRows(ks, 'b');
      expect(rows.map((x) => Number(x.id))).toEqual(Array.from({ length: 500 }, (_, i) => i));
      expect(rows.filter((x) => String(x.v).length === 6000)).toHaveLength(10);

      const single = await runWrite(
        bin,
        config(`${ks}_1`, { layout: 'typed', write_batch_rows: 1 }),
        catalogOf([s]),
        input,
      );
      expect(single.code).toBe(0);
      expect(requestsOf(single.logs)).toEqual({ rows: 500, requests: 500 });
      expect(await typedRows(`${ks}_1`, 'b')).toHaveLength(500);
    });

    full('dedup without a cursor: the last emitted record wins', async () => {
      const ks = uniqueKeyspace('dedupnc');
      const s: StreamDef = {
        name: 'k',
        schema: { type: 'object', properties: { id: { type: 'integer' }, v: { type: 'string' } } },
        mode: 'append_dedup',
        primaryKey: [['id']],
      };
      const r = await runWrite(bin, config(ks, { layout: 'typed' }), catalogOf([s]), [
        record('k', { id: 1, v: 'newer' }, { emittedAt: 2000 }),
        record('k', { id: 1, v: 'older' }, { emittedAt: 1000 }),
        record('k', { id: 2, v: 'first' }, { emittedAt: 3000 }),
        record('k', { id: 2, v: 'second, same time' }, { emittedAt: 3000 }),
      ]);
      expect(r.code).toBe(0);
      expect((await typedRows(ks, 'k')).map((x) => x.v)).toEqual(['newer', 'second, same time']);
    });

    it('funky stream, namespace and field names', async () => {
      const ks = uniqueKeyspace('funky');
      const streamNames: Array<[string, string]> = [
        ['streamWithCamelCase', 'streamwithcamelcase'],
        ['STREAM_WITH_ALL_CAPS', 'stream_with_all_caps'],
        ['stream_with_spécial_character', 'stream_with_special_character'],
        ['stream_name_with_operator+1', 'stream_name_with_operator_1'],
        ['1stream_with_a_leading_number', '1stream_with_a_leading_number'],
        ['stream-with:spécial:character_names', 'stream_with_special_character_names'],
        ['order', 'order'],
        ['Foo.Bar', 'foo_bar'],
      ];
      const schema = {
        type: 'object',
        properties: {
          'Foo.Bar': { type: 'string' },
          order: { type: 'integer' },
          '1field': { type: 'string' },
          'field_name_with_operator+1': { type: 'string' },
          _airbyte_raw_id: { type: 'string' },
        },
      };
      const data = {
        'Foo.Bar': 'foo\nbar',
        order: 1,
        '1field': 'one',
        'field_name_with_operator+1': 'op',
        _airbyte_raw_id: 'mine',
      };
      const streams: StreamDef[] = streamNames.map(([name]) => ({ name, schema }));
      const r = await runWrite(
        bin,
        config(ks, { layout: 'typed' }),
        catalogOf(streams),
        streamNames.map(([name]) => record(name, data)),
      );
      expect(r.code).toBe(0);
      for (const [, table] of streamNames) {
        const rows = await rowsOf(client, ks, table);
        expect(rows).toEqual([
          expect.objectContaining({
            foo_bar: 'foo\nbar',
            order: '1',
            '1field': 'one',
            field_name_with_operator_1: 'op',
            _airbyte_raw_id_1: 'mine',
          }),
        ]);
      }
      // Namespaces with characters outside [A-Za-z0-9_].
      const namespaces: Array<[string, string]> = [
        ['_spøcial', 'sp_cial'],
        ['_operator-1', 'operator_1'],
      ];
      const drop = () =>
        Promise.all(namespaces.map(([, k]) => client.execute(`DROP KEYSPACE IF EXISTS "${k}"`)));
      await drop();
      try {
        const nsStreams: StreamDef[] = namespaces.map(([ns]) => ({ name: 'x', namespace: ns, schema }));
        const r2 = await runWrite(
          bin,
          config(ks, { layout: 'typed' }),
          catalogOf(nsStreams),
          namespaces.map(([ns]) => record('x', data, { namespace: ns })),
        );
        expect(r2.code).toBe(0);
        for (const [, keyspace] of namespaces) expect(await rowsOf(client, keyspace, 'x')).toHaveLength(1);
      } finally {
        await drop();
      }
    });

    full('21 streams in one sync', async () => {
      const ks = uniqueKeyspace('many');
      const names = Array.from({ length: 21 }, (_, i) => `stream_${i}`);
      const streams: StreamDef[] = names.map((name) => ({
        name,
        schema: { type: 'object', properties: { id: { type: 'integer' } } },
      }));
      const messages: Json[] = [];
      for (const name of names) {
        for (let i = 0; i < 10; i++) messages.push(record(name, { id: i }));
        messages.push(streamState(name, { done: true }));
      }
      for (const name of names) messages.push(streamStatus(name, 'COMPLETE'));
      const r = await runWrite(bin, config(ks, { layout: 'typed' }), catalogOf(streams), messages);
      expect(r.code).toBe(0);
      expect(r.states).toHaveLength(21);
      for (const name of names) expect(await rowsOf(client, ks, name)).toHaveLength(10);
    });

    full('basic types with edge values: what does not fit is nulled and recorded', async () => {
      const ks = uniqueKeyspace('types');
      const schema = {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          i: { type: 'integer' },
          n: { type: 'number' },
          s: { type: 'string' },
          b: { type: 'boolean' },
          ts_tz: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
          ts_ntz: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
          t_tz: { type: 'string', format: 'time', airbyte_type: 'time_with_timezone' },
          t_ntz: { type: 'string', format: 'time', airbyte_type: 'time_without_timezone' },
          d: { type: 'string', format: 'date' },
          big: { type: 'string', airbyte_type: 'big_integer' },
        },
      };
      const rows: Json[] = [
        {
          id: 1,
          i: 0,
          n: 0,
          s: '',
          b: false,
          ts_tz: '2023-01-23T11:34:56-01:00',
          ts_ntz: '2023-01-23T12:34:56',
          t_tz: '11:34:56-01:00',
          t_ntz: '12:34:56',
          d: '2023-01-23',
          big: '123456789012345678901234567890',
        },
        {
          id: 2,
          i: -1,
          n: -0.0,
          s: 'x',
          b: true,
          ts_tz: '2023-01-23T12:34:00Z',
          ts_ntz: '2023-01-23T12:34:00',
          t_tz: '12:34:00Z',
          t_ntz: '12:34:00',
          d: '0001-01-01',
        },
        { id: 3, i: 1e32, n: 1e39 },
        { id: 4, i: 'not an int', n: -1e39, b: 'maybe', ts_tz: 'yesterday', d: '2023-02-30', t_ntz: '99:00' },
        { id: 5 },
      ];
      const r = await runWrite(
        bin,
        config(ks, { layout: 'typed' }),
        catalogOf([{ name: 'types', schema }]),
        rows.map((d) => record('types', d)),
      );
      expect(r.code).toBe(0);
      const cols = await columnsOf(client, ks, 'types');
      expect(cols).toMatchObject({
        i: 'bigint',
        n: 'double',
        s: 'text',
        b: 'boolean',
        ts_tz: 'timestamp',
        ts_ntz: 'timestamp',
        t_tz: 'time',
        t_ntz: 'time',
        d: 'date',
        big: 'varint',
      });
      const got = await typedRows(ks, 'types');
      expect(got[0]).toMatchObject({
        i: '0',
        n: 0,
        s: '',
        b: false,
        ts_tz: '2023-01-23T12:34:56.000Z',
        ts_ntz: '2023-01-23T12:34:56.000Z',
        t_tz: '12:34:56',
        t_ntz: '12:34:56',
        d: '2023-01-23',
        big: '123456789012345678901234567890',
      });
      expect(got[1]).toMatchObject({
        i: '-1',
        s: 'x',
        b: true,
        ts_tz: '2023-01-23T12:34:00.000Z',
        t_tz: '12:34:00',
        d: '0001-01-01',
      });
      expect(Object.is(got[1]!.n, -0) || got[1]!.n === 0).toBe(true);
      expect(got[2]).toMatchObject({ i: null, n: 1e39 });
      expect(JSON.parse(String(got[2]!._airbyte_meta)).changes).toEqual([
        { field: 'i', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
      ]);
      expect(got[3]).toMatchObject({ i: null, n: -1e39, b: null, ts_tz: null, d: null, t_ntz: null });
      expect(sortByJson(JSON.parse(String(got[3]!._airbyte_meta)).changes)).toEqual(
        sortByJson(
          ['i', 'b', 'ts_tz', 'd', 't_ntz'].map((field) => ({
            field,
            change: 'NULLED',
            reason: 'DESTINATION_SERIALIZATION_ERROR',
          })),
        ),
      );
      expect(got[4]).toMatchObject({ i: null, n: null, s: null, b: null });
      expect(JSON.parse(String(got[4]!._airbyte_meta))).toEqual({ sync_id: null, changes: [] });
    });

    full('a source change in meta.changes is kept in _airbyte_meta', async () => {
      const ks = uniqueKeyspace('meta');
      const change = { field: 'x', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' };
      const r = await runWrite(
        bin,
        config(ks, { layout: 'typed' }),
        catalogOf([
          { name: 'm', schema: { type: 'object', properties: { x: { type: 'string' } } }, syncId: 9 },
        ]),
        [record('m', { x: 'abc' }, { meta: { changes: [change] } })],
      );
      expect(r.code).toBe(0);
      const rows = await rowsOf(client, ks, 'm');
      expect(JSON.parse(String(rows[0]!._airbyte_meta))).toEqual({ sync_id: 9, changes: [change] });
    });

    it('raw layout over a table created the upstream way: old rows stay readable, overwrite replaces them', async () => {
      const ks = uniqueKeyspace('upstream');
      await client.execute(
        `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
      );
      await client.execute(
        `CREATE TABLE ${ks}.airbyte_raw_users ("_airbyte_ab_id" uuid PRIMARY KEY, "_airbyte_data" text, "_airbyte_emitted_at" timestamp)`,
      );
      for (const name of ['old1', 'old2']) {
        await client.execute(
          `INSERT INTO ${ks}.airbyte_raw_users ("_airbyte_ab_id", "_airbyte_data", "_airbyte_emitted_at") VALUES (uuid(), '{"name":"${name}"}', toTimestamp(now()))`,
        );
      }
      const stream: StreamDef = {
        name: 'users',
        schema: { type: 'object', properties: { name: { type: 'string' } } },
      };
      const upstreamConfig = {
        keyspace: ks,
        username: '',
        password: '',
        address: endpoint().contactPoints[0],
        port: endpoint().port,
        datacenter: 'datacenter1',
        replication: 1,
      };
      const cfg = {
        ...config(ks),
        ...upstreamConfig,
        username: endpoint().username ?? '',
        password: endpoint().password ?? '',
      };
      expect((await runWrite(bin, cfg, catalogOf([stream]), [record('users', { name: 'new1' })])).code).toBe(
        0,
      );
      const cols = await columnsOf(client, ks, 'airbyte_raw_users');
      expect(cols).toMatchObject({ _airbyte_generation_id: 'bigint', _airbyte_loaded_at: 'timestamp' });
      expect(sortByJson((await rawDataOf(client, ks, 'airbyte_raw_users')).map((d) => d.name))).toEqual([
        'new1',
        'old1',
        'old2',
      ]);
      const r = await runWrite(bin, cfg, catalogOf([{ ...stream, mode: 'overwrite' }]), [
        record('users', { name: 'new2' }),
      ]);
      expect(r.code).toBe(0);
      expect((await rawDataOf(client, ks, 'airbyte_raw_users')).map((d) => d.name)).toEqual(['new2']);
    });

    full('schema evolution: new catalog columns are added; an existing column keeps its type', async () => {
      const ks = uniqueKeyspace('evolve');
      await client.execute(
        `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
      );
      // A column made elsewhere with another type than this connector would pick.
      await client.execute(`CREATE TABLE ${ks}.e ("_airbyte_raw_id" uuid PRIMARY KEY, "n" text)`);
      const v1: StreamDef = { name: 'e', schema: { type: 'object', properties: { n: { type: 'integer' } } } };
      const v2: StreamDef = {
        name: 'e',
        schema: { type: 'object', properties: { n: { type: 'integer' }, added: { type: 'boolean' } } },
      };
      expect(
        (await runWrite(bin, config(ks, { layout: 'typed' }), catalogOf([v1]), [record('e', { n: 5 })])).code,
      ).toBe(0);
      expect(
        (
          await runWrite(bin, config(ks, { layout: 'typed' }), catalogOf([v2]), [
            record('e', { n: 6, added: true }),
          ])
        ).code,
      ).toBe(0);
      const cols = await columnsOf(client, ks, 'e');
      expect(cols).toMatchObject({ n: 'text', added: 'boolean', _airbyte_meta: 'text' });
      expect(sortByJson((await rowsOf(client, ks, 'e')).map((x) => [x.n, x.added]))).toEqual([
        ['5', null],
        ['6', true],
      ]);
    });

    full('native_collections: arrays and maps of primitives become list and map columns', async () => {
      const ks = uniqueKeyspace('coll');
      const schema = {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          tags: { type: 'array', items: { type: 'string' } },
          counts: { type: 'object', additionalProperties: { type: 'integer' } },
          objects: { type: 'array', items: { type: 'object' } },
        },
      };
      const r = await runWrite(
        bin,
        config(ks, { layout: 'typed', native_collections: true }),
        catalogOf([{ name: 'c', schema }]),
        [
          record('c', { id: 1, tags: ['a', 'b'], counts: { x: 1, y: 2 }, objects: [{ k: 1 }] }),
          record('c', { id: 2, tags: ['a', null], counts: { x: 'many' } }),
        ],
      );
      expect(r.code).toBe(0);
      expect(await columnsOf(client, ks, 'c')).toMatchObject({
        tags: 'list<text>',
        counts: 'map<text, bigint>',
        objects: 'text',
      });
      const rows = await typedRows(ks, 'c');
      expect(rows[0]).toMatchObject({ tags: ['a', 'b'], counts: { x: '1', y: '2' }, objects: '[{"k":1}]' });
      expect(rows[1]).toMatchObject({ tags: null, counts: null });
      expect(
        JSON.parse(String(rows[1]!._airbyte_meta))
          .changes.map((c: Json) => c.field)
          .sort(),
      ).toEqual(['counts', 'tags']);
    });

    full('ttl_seconds sets a TTL on written rows', async () => {
      const ks = uniqueKeyspace('ttl');
      expect(
        (
          await runWrite(
            bin,
            config(ks, { layout: 'typed', ttl_seconds: 3600 }),
            catalogOf([{ name: 'x', schema: { type: 'object', properties: { v: { type: 'string' } } } }]),
            [record('x', { v: 'a' })],
          )
        ).code,
      ).toBe(0);
      const rs = await client.execute(`SELECT TTL("v") AS t FROM ${ks}.x`);
      expect(Number(rs.first().get('t'))).toBeGreaterThan(3500);
    });
  });
}

export const upstreamTableNameOf = (stream: string): string => `airbyte_raw_${stream.toLowerCase()}`;
export { exchangeRateStreams };
export type { Json } from './harness.js';
export { rowsOf, tableExists };
