import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  globalStateLine,
  recordLine,
  runConnector,
  streamStateLine,
  streamStatusLine,
  writeJsonFile,
} from '../src/connector-run.js';

// A stand-in connector: echoes each stdin line back as a LOG message, prints NOT JSON on request,
// and exits with the code given as its first argument.
const ECHO = `
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (l) => {
  if (l === 'garbage') { process.stdout.write('not json\\n'); return; }
  process.stdout.write(JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: l } }) + '\\n');
});
rl.on('close', () => { process.stderr.write('bye'); process.exitCode = Number(process.argv[1] ?? 0); });
`;
const echo = [process.execPath, '-e', ECHO];

test('input pieces go in order; stdout lines come back parsed; exit code and stderr', async () => {
  const r = await runConnector({ command: echo, args: ['3'], input: ['a\n', 'b\nc\n'] });
  expect(r.code).toBe(3);
  expect(r.signal).toBeNull();
  expect(r.logs()).toEqual(['a', 'b', 'c']);
  expect(r.stderr).toBe('bye');
  expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(3);
});

test('a large input is written with backpressure, all of it', async () => {
  async function* big() {
    for (let i = 0; i < 20_000; i++) yield `${'x'.repeat(100)}${i}\n`;
  }
  const r = await runConnector({ command: echo, input: big() });
  expect(r.code).toBe(0);
  expect(r.lines).toHaveLength(20_000);
  expect(r.logs().at(-1)).toBe(`${'x'.repeat(100)}19999`);
});

test('killWhen sends its signal once and stops the input', async () => {
  const r = await runConnector({
    command: echo,
    input: ['a\n', 'b\n'],
    keepStdinOpen: true,
    killWhen: (lines) => (lines.length >= 2 ? 'SIGTERM' : false),
  });
  expect(r.signal).toBe('SIGTERM');
  expect(r.logs()).toEqual(['a', 'b']);
});

test('an input function can wait on the output', async () => {
  const r = await runConnector({
    command: echo,
    input: async function* (run) {
      yield 'first\n';
      expect(await run.waitFor((lines) => lines.length === 1)).toBe(true);
      yield 'second\n';
    },
  });
  expect(r.logs()).toEqual(['first', 'second']);
});

test('a line that is not JSON fails the run, or is kept when asked', async () => {
  await expect(runConnector({ command: echo, input: 'garbage\n' })).rejects.toThrow(/not JSON: not json/);
  const r = await runConnector({ command: echo, input: 'garbage\n', nonJson: 'keep' });
  expect(r.lines).toEqual([{ type: 'NOT_JSON', text: 'not json' }]);
});

test('a run past its timeout is killed and fails loudly', async () => {
  await expect(
    runConnector({ command: echo, input: 'a\n', keepStdinOpen: true, timeoutMs: 300 }),
  ).rejects.toThrow(/timed out after 300 ms; last messages: .*"message":"a"/);
});

test('env adds and removes variables', async () => {
  process.env.TESTKIT_DROP_ME = 'x';
  const r = await runConnector({
    command: [
      process.execPath,
      '-e',
      'console.log(JSON.stringify({ type: "ENV", a: process.env.TESTKIT_A, b: process.env.TESTKIT_DROP_ME ?? null }))',
    ],
    env: { TESTKIT_A: 'set', TESTKIT_DROP_ME: undefined },
  });
  delete process.env.TESTKIT_DROP_ME;
  expect(r.ofType('ENV')).toEqual([{ type: 'ENV', a: 'set', b: null }]);
});

test('message lines', () => {
  expect(JSON.parse(recordLine('s', { id: 1 }, { namespace: 'n', meta: { m: 1 } }))).toEqual({
    type: 'RECORD',
    record: { stream: 's', data: { id: 1 }, emitted_at: 1_700_000_000_000, namespace: 'n', meta: { m: 1 } },
  });
  expect(recordLine('s', {}).endsWith('}\n')).toBe(true);
  expect(JSON.parse(streamStateLine('s', { c: 1 }))).toEqual({
    type: 'STATE',
    state: { type: 'STREAM', stream: { stream_descriptor: { name: 's' }, stream_state: { c: 1 } } },
  });
  expect(JSON.parse(globalStateLine({ g: 1 }))).toEqual({
    type: 'STATE',
    state: { type: 'GLOBAL', global: { shared_state: { g: 1 }, stream_states: [] } },
  });
  expect(JSON.parse(streamStatusLine('s', 'COMPLETE', { namespace: 'n', emittedAt: 1 }))).toEqual({
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: 1,
      stream_status: { stream_descriptor: { name: 's', namespace: 'n' }, status: 'COMPLETE' },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'testkit-json-'));
  expect(JSON.parse(readFileSync(writeJsonFile(dir, 'c.json', { a: 1 }), 'utf8'))).toEqual({ a: 1 });
});
