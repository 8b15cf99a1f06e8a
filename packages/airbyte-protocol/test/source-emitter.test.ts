import { Writable } from 'node:stream';
import { NdjsonWriter, SourceEmitter } from '../src/index.js';

function sink() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, writer: new NdjsonWriter(out) };
}

describe('SourceEmitter', () => {
  test('recordWriter emits exactly what record() emits, and both count toward sourceStats', async () => {
    const a = sink();
    const b = sink();
    const ea = new SourceEmitter(a.writer, { now: () => 5 });
    const eb = new SourceEmitter(b.writer, { now: () => 5 });
    ea.record('users', { id: 1, name: 'Zoë' }, 'ks');
    ea.record('users', { id: 2, name: null }, 'ks');
    const write = eb.recordWriter('users', 'ks');
    write(JSON.stringify({ id: 1, name: 'Zoë' }));
    write(JSON.stringify({ id: 2, name: null }));
    const state = {
      type: 'STREAM' as const,
      stream: { stream_descriptor: { name: 'users', namespace: 'ks' }, stream_state: { c: 1 } },
    };
    ea.state(state);
    eb.state(state);
    await a.writer.flush();
    await b.writer.flush();
    expect(b.lines).toEqual(a.lines);
    expect(JSON.parse(b.lines[2]!).state.sourceStats).toEqual({ recordCount: 2 });
    expect(eb.recordsEmitted).toBe(2);
  });

  test('recordBytesWriter emits exactly what record() emits, from UTF-8 bytes', async () => {
    const a = sink();
    const b = sink();
    let now = 5;
    const ea = new SourceEmitter(a.writer, { now: () => now });
    const eb = new SourceEmitter(b.writer, { now: () => now });
    const write = eb.recordBytesWriter('ünïcode', 'ks');
    const bytes = Buffer.from(`..${JSON.stringify({ id: 1, name: 'Zoë' })}${JSON.stringify({ id: 2 })}`);
    const first = Buffer.byteLength(JSON.stringify({ id: 1, name: 'Zoë' }));
    ea.record('ünïcode', { id: 1, name: 'Zoë' }, 'ks');
    write(bytes, 2, 2 + first);
    now = 6;
    ea.record('ünïcode', { id: 2 }, 'ks');
    write(bytes, 2 + first, bytes.length);
    ea.record('ünïcode', { id: 2 }, 'ks', 99);
    write(bytes, 2 + first, bytes.length, 99);
    await a.writer.flush();
    await b.writer.flush();
    expect(b.lines).toEqual(a.lines);
    expect(JSON.parse(b.lines[1]!).record.emitted_at).toBe(6);
    expect(eb.recordsEmitted).toBe(3);
  });

  test('a GLOBAL state counts every record since the previous state', async () => {
    const s = sink();
    const e = new SourceEmitter(s.writer);
    e.record('a', { x: 1 });
    e.recordWriter('b')('{"x":2}');
    e.state({ type: 'GLOBAL', global: { stream_states: [] } });
    await s.writer.flush();
    expect(JSON.parse(s.lines.at(-1)!).state.sourceStats).toEqual({ recordCount: 2 });
  });

  test('checkpointDue by record count', () => {
    const e = new SourceEmitter(sink().writer, { checkpointRecords: 2, checkpointIntervalMs: 1e9 });
    e.record('a', {});
    expect(e.checkpointDue()).toBe(false);
    e.record('a', {});
    expect(e.checkpointDue()).toBe(true);
  });
});
