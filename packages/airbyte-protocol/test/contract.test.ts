import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConnectorRun,
  recordLine,
  runConnector,
  type StreamStatus,
  streamStateLine,
  streamStatusLine,
} from '@tributary/testkit';

// Drives the tiny destination (test/fixtures) through the real runner over stdin/stdout and
// checks the exact output lines: states, counts, traces and exit codes.
const fixture = join(import.meta.dirname, 'fixtures', 'tiny-destination.mjs');

type Run = ConnectorRun;

function run(
  args: string[],
  input?: string,
  opts: { killAfter?: (lines: readonly any[]) => boolean } = {},
): Promise<Run> {
  const { killAfter } = opts;
  return runConnector({
    command: [process.execPath, fixture],
    args,
    input,
    // A run that is killed keeps stdin open: it must stop on the signal, not on end of input.
    keepStdinOpen: killAfter !== undefined,
    killWhen: killAfter && ((lines) => (killAfter(lines) ? 'SIGTERM' : false)),
  });
}

function workdir() {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-dest-'));
  const out = join(dir, 'out.jsonl');
  const config = (extra: Record<string, unknown> = {}) => {
    const p = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(p, JSON.stringify({ path: out, password: 'hunter2-secret', ...extra }));
    return p;
  };
  const catalog = join(dir, 'catalog.json');
  const stream = (name: string, mode = 'append') => ({
    stream: { name, json_schema: { type: 'object', properties: {} }, supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: mode,
  });
  writeFileSync(catalog, JSON.stringify({ streams: [stream('users'), stream('orders', 'overwrite')] }));
  const written = () =>
    existsSync(out)
      ? readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  return { dir, out, config, catalog, written };
}

const rec = (stream: string, data: Record<string, unknown>) => recordLine(stream, data);
const sstate = (stream: string, id: number) => streamStateLine(stream, { id });
const status = (stream: string, s: StreamStatus) => streamStatusLine(stream, s, { emittedAt: 1 });

const byType = (r: Run, t: string) => r.ofType(t);

describe('runner contract (tiny destination over stdin/stdout)', () => {
  test('spec prints one SPEC message generated from the zod config', async () => {
    const r = await run(['spec']);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    const spec = r.lines[0]!.spec;
    expect(spec.connectionSpecification.properties.password.airbyte_secret).toBe(true);
    expect(spec.connectionSpecification.required).toContain('path');
    expect(spec.supported_destination_sync_modes).toEqual(['append', 'overwrite', 'append_dedup']);
  });

  test('check: success, a failure with a message, an invalid config with an actionable message', async () => {
    const w = workdir();
    const ok = await run(['check', '--config', w.config()]);
    expect(ok.code).toBe(0);
    expect(byType(ok, 'CONNECTION_STATUS')).toEqual([
      { type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } },
    ]);

    const bad = await run(['check', '--config', w.config({ path: '/unwritable/x' })]);
    expect(byType(bad, 'CONNECTION_STATUS')[0]!.connectionStatus).toEqual({
      status: 'FAILED',
      message: 'cannot write /unwritable/x',
    });

    const p = join(w.dir, 'invalid.json');
    writeFileSync(p, JSON.stringify({ password: 'hunter2-secret' }));
    const invalid = await run(['check', '--config', p]);
    expect(invalid.code).toBe(0);
    const st = byType(invalid, 'CONNECTION_STATUS')[0]!.connectionStatus;
    expect(st.status).toBe('FAILED');
    expect(st.message).toMatch(/path/);
    expect(JSON.stringify(invalid.lines)).not.toContain('hunter2-secret');
  });

  test('write: states leave after their records are on disk, in order, with counts', async () => {
    const w = workdir();
    const input = [
      rec('users', { id: 1 }),
      rec('users', { id: 2 }),
      sstate('users', 1),
      rec('orders', { id: 10 }),
      'this is not json\n',
      rec('users', { id: 3, reject: true }),
      rec('users', { id: 4 }),
      sstate('users', 2),
      sstate('orders', 1),
      rec('ghost', { id: 99 }),
      status('users', 'COMPLETE'),
      status('orders', 'COMPLETE'),
    ].join('');
    const r = await run(['write', '--config', w.config(), '--catalog', w.catalog], input);
    expect(r.code).toBe(0);
    const states = byType(r, 'STATE').map((l) => l.state);
    expect(states).toEqual([
      {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'users' }, stream_state: { id: 1 } },
        destinationStats: { recordCount: 2 },
      },
      {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'users' }, stream_state: { id: 2 } },
        destinationStats: { recordCount: 2, rejectedRecordCount: 1 },
      },
      {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'orders' }, stream_state: { id: 1 } },
        destinationStats: { recordCount: 1 },
      },
    ]);
    const written = w.written();
    const rows = written.filter((l) => l.data).map((l) => `${l.stream}:${l.data.id}`);
    expect(rows.sort()).toEqual(['orders:10', 'users:1', 'users:2', 'users:4']);
    const finalized = written.filter((l) => l.finalized).map((l) => l.finalized);
    expect(finalized.sort()).toEqual(['orders', 'users']);
    const logs = byType(r, 'LOG').map((l) => l.log.message as string);
    expect(logs.some((m) => /line 5/.test(m))).toBe(true); // the malformed line, by number
    expect(logs.filter((m) => m.includes('ghost'))).toHaveLength(2); // one warning + the final count
  });

  test('a failing flush: TRACE ERROR, non-zero exit, no state for uncommitted records, secrets redacted', async () => {
    const w = workdir();
    // Three records fill a batch (maxBatchRecords 3), so the failing record flushes on its own.
    const input = [
      rec('users', { id: 1 }),
      rec('users', { id: 2 }),
      rec('users', { id: 3 }),
      sstate('users', 1),
      rec('users', { id: 4, value: 'boom' }),
      sstate('users', 2),
    ].join('');
    const r = await run(
      ['write', '--config', w.config({ failOnValue: 'boom' }), '--catalog', w.catalog],
      input,
    );
    expect(r.code).toBe(1);
    const states = byType(r, 'STATE').map((l) => l.state.stream.stream_state.id);
    expect(states).toEqual([1]);
    const traces = byType(r, 'TRACE');
    expect(traces).toHaveLength(1);
    expect(traces[0]!.trace.type).toBe('ERROR');
    expect(traces[0]!.trace.error.failure_type).toBe('system_error');
    expect(traces[0]!.trace.error.message).toMatch(/refused value boom/);
    expect(JSON.stringify(r.lines)).not.toContain('hunter2-secret');
  });

  test('SIGTERM: stop reading, commit in flight, release covered states, exit non-zero, no finalize', async () => {
    const w = workdir();
    const input = [
      rec('users', { id: 1 }),
      rec('users', { id: 2 }),
      sstate('users', 1),
      status('users', 'COMPLETE'),
    ].join('');
    const r = await run(
      ['write', '--config', w.config({ flushDelayMs: 600 }), '--catalog', w.catalog],
      input,
      {
        killAfter: (lines) => lines.some((l) => l.type === 'LOG' && l.log.message.startsWith('flush start')),
      },
    );
    expect(r.code).toBe(143);
    expect(byType(r, 'STATE').map((l) => l.state.stream.stream_state.id)).toEqual([1]);
    expect(w.written().filter((l) => l.data)).toHaveLength(2);
    expect(w.written().filter((l) => l.finalized)).toHaveLength(0);
    expect(byType(r, 'TRACE')[0]?.trace.error.message).toMatch(/interrupted/);
  });

  test('unknown command: TRACE config_error and exit 1', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(1);
    expect(byType(r, 'TRACE')[0]!.trace.error.failure_type).toBe('config_error');
  });
});
