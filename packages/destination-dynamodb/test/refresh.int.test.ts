import {
  baseConfig,
  closeDdb,
  dataOf,
  rec,
  type RunOptions,
  type StreamDef,
  scanTable,
  states,
  status,
  streamState,
  uniquePrefix,
  runWrite,
} from './helpers.js';

const props = { id: { type: 'integer' }, v: { type: 'string' } };
const write = (prefix: string, stream: Partial<StreamDef>, input: string | string[], opts: RunOptions = {}) =>
  runWrite(baseConfig(prefix), [{ name: 's', properties: props, ...stream }], input, opts);
const records = (ids: number[], v: string) => ids.map((id) => rec('s', { id, v })).join('');
const content = async (prefix: string) =>
  dataOf(await scanTable(`${prefix}_s`), 'id').map((d) => `${d.id}:${d.v}`);

afterAll(() => closeDdb(), 60_000);

describe('refreshes (generation ids) and overwrite without downtime', () => {
  test('truncate refresh: after COMPLETE only the new generation remains', async () => {
    const p = uniquePrefix('tr');
    expect(
      (await write(p, { generationId: 41 }, records([1, 2], 'old') + status('s', 'COMPLETE'))).code,
    ).toBe(0);
    const r = await write(
      p,
      { generationId: 42, minimumGenerationId: 42 },
      status('s', 'STARTED') + records([3], 'new') + streamState('s', { n: 1 }) + status('s', 'COMPLETE'),
    );
    expect(r.code).toBe(0);
    expect(await content(p)).toEqual(['3:new']);
    const items = await scanTable(`${p}_s`);
    expect(items.map((i) => i._airbyte_generation_id)).toEqual([42]);
    expect(
      r.lines.some(
        (l) => l.type === 'LOG' && /removed 2 item\(s\) of generations below 42/.test(l.log.message),
      ),
    ).toBe(true);
  });

  test('interrupted truncate with prior data: the prior data stays; the next complete sync keeps both attempts', async () => {
    const p = uniquePrefix('itp');
    expect(
      (await write(p, { generationId: 41 }, records([1, 2], 'gen41') + status('s', 'COMPLETE'))).code,
    ).toBe(0);
    const interrupted = await write(
      p,
      { generationId: 42, minimumGenerationId: 42 },
      status('s', 'STARTED') +
        records([3], 'attempt1') +
        streamState('s', { n: 1 }) +
        status('s', 'INCOMPLETE'),
    );
    expect(states(interrupted)).toHaveLength(1);
    expect(await content(p)).toEqual(['1:gen41', '2:gen41', '3:attempt1']);
    const r = await write(
      p,
      { generationId: 42, minimumGenerationId: 42 },
      status('s', 'STARTED') + records([4], 'attempt2') + status('s', 'COMPLETE'),
    );
    expect(r.code).toBe(0);
    expect(await content(p)).toEqual(['3:attempt1', '4:attempt2']);
  });

  test('interrupted truncate without prior data, then a complete one', async () => {
    const p = uniquePrefix('itn');
    await write(
      p,
      { generationId: 42, minimumGenerationId: 42 },
      status('s', 'STARTED') + records([1], 'attempt1') + status('s', 'INCOMPLETE'),
    );
    expect(await content(p)).toEqual(['1:attempt1']);
    await write(
      p,
      { generationId: 42, minimumGenerationId: 42 },
      records([2], 'attempt2') + status('s', 'COMPLETE'),
    );
    expect(await content(p)).toEqual(['1:attempt1', '2:attempt2']);
  });

  test('a truncate sync with no records still removes the old items; a GLOBAL state alone does not crash', async () => {
    const p = uniquePrefix('tnd');
    await write(p, { generationId: 1 }, records([1, 2, 3], 'old') + status('s', 'COMPLETE'));
    const globalState = `${JSON.stringify({
      type: 'STATE',
      state: { type: 'GLOBAL', global: { shared_state: { x: 1 }, stream_states: [] } },
    })}\n`;
    const r = await write(
      p,
      { generationId: 2, minimumGenerationId: 2 },
      status('s', 'STARTED') + globalState + status('s', 'COMPLETE'),
    );
    expect(r.code).toBe(0);
    expect(states(r)).toHaveLength(1);
    expect(await content(p)).toEqual([]);
  });

  test('legacy overwrite (no generation ids): a killed sync leaves the previous data; a complete one replaces it', async () => {
    const p = uniquePrefix('low');
    await write(p, { mode: 'overwrite' }, records([1, 2], 'first') + status('s', 'COMPLETE'));
    const killed = await write(
      p,
      { mode: 'overwrite' },
      [status('s', 'STARTED'), records([3], 'second') + streamState('s', { n: 1 }), records([4], 'more')],
      { killWhen: (lines) => lines.some((l) => l.type === 'STATE'), holdStdin: true, chunkDelayMs: 50 },
    );
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = await content(p);
    expect(afterKill).toEqual(expect.arrayContaining(['1:first', '2:first', '3:second']));
    const r = await write(p, { mode: 'overwrite' }, records([5], 'third') + status('s', 'COMPLETE'));
    expect(r.code).toBe(0);
    expect(await content(p)).toEqual(['5:third']);
  });
});

describe('purging a larger table', () => {
  test('an overwrite over 5,000 older items (several scan pages per segment) leaves only the new ones', async () => {
    const p = uniquePrefix('purge');
    const pad = 'p'.repeat(600);
    const old = Array.from({ length: 5_000 }, (_, id) => rec('s', { id, v: 'old', pad })).join('');
    expect((await write(p, { mode: 'overwrite' }, old + status('s', 'COMPLETE'))).code).toBe(0);
    const r = await write(p, { mode: 'overwrite' }, records([1, 2, 3], 'new') + status('s', 'COMPLETE'));
    expect(r.code).toBe(0);
    expect(await content(p)).toEqual(['1:new', '2:new', '3:new']);
    expect(
      r.lines.some(
        (l) =>
          l.type === 'LOG' && /removed 5000 item\(s\) loaded before this sync started/.test(l.log.message),
      ),
    ).toBe(true);
  });
});

describe('kill mid-sync and rerun', () => {
  test('SIGKILL after some states: every acknowledged record is in the table; the rerun completes the rest', async () => {
    const p = uniquePrefix('kill');
    const total = 3000;
    const chunks: string[] = [];
    for (let start = 0; start < total; start += 100) {
      const ids = Array.from({ length: 100 }, (_, i) => start + i);
      chunks.push(records(ids, 'x') + streamState('s', { upTo: start + 99 }));
    }
    const killed = await write(p, { mode: 'append' }, chunks, {
      killWhen: (lines) => lines.filter((l) => l.type === 'STATE').length >= 5,
      holdStdin: true,
      chunkDelayMs: 20,
    });
    expect(killed.signal).toBe('SIGKILL');
    const acked = states(killed);
    expect(acked.length).toBeGreaterThanOrEqual(5);
    const lastAcked = acked.at(-1).stream.stream_state.upTo as number;
    for (const s of acked) expect(s.destinationStats.recordCount).toBe(100);
    const afterKill = new Set(dataOf(await scanTable(`${p}_s`)).map((d) => d.id));
    for (let id = 0; id <= lastAcked; id++) expect(afterKill.has(id)).toBe(true);

    // The platform resends everything after the last acknowledged state.
    const rest = chunks.slice((lastAcked + 1) / 100);
    const rerun = await write(p, { mode: 'append' }, rest.join(''));
    expect(rerun.code).toBe(0);
    expect(states(rerun).at(-1).stream.stream_state.upTo).toBe(total - 1);
    const ids = new Set(dataOf(await scanTable(`${p}_s`)).map((d) => d.id));
    expect(ids.size).toBe(total);
  });
});
