import type { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  accountKey,
  baseConfig,
  catalog,
  client,
  deleteAllStreams,
  errors,
  jsonFile,
  readStream,
  record,
  runBin,
  states,
  streamState,
} from './helpers.js';

const ACCOUNT = accountKey(600_005);

let kinesis: KinesisClient;
beforeAll(() => {
  kinesis = client(ACCOUNT);
});
afterAll(async () => {
  await deleteAllStreams(kinesis);
  kinesis.destroy();
});

/** Records from..to-1 of stream `ticks`, a state after every hundred. */
function chunks(from: number, to: number): string[] {
  const out: string[] = [];
  for (let start = from; start < to; start += 100) {
    let chunk = '';
    for (let i = start; i < Math.min(start + 100, to); i++) chunk += record('ticks', { id: i, at: `t${i}` });
    chunk += streamState('ticks', { upTo: Math.min(start + 100, to) - 1 });
    out.push(chunk);
  }
  return out;
}

test('SIGKILL mid-sync loses nothing acknowledged; the rerun from the last state completes the stream', async () => {
  const config = jsonFile(baseConfig(ACCOUNT, { shardCount: 2 }));
  const cat = jsonFile(catalog([{ name: 'ticks', primaryKey: [['id']] }]));
  const TOTAL = 1500;

  const input = chunks(0, TOTAL);
  const stateCount = (lines: Array<Record<string, any>>) => lines.filter((l) => l.type === 'STATE').length;
  const killed = await runBin(['write', '--config', config, '--catalog', cat], input, {
    // Keep about three hundred-record chunks unacknowledged in flight, and kill mid-way.
    gates: input.map((_, i) =>
      i < 4 ? undefined : (lines: Array<Record<string, any>>) => stateCount(lines) >= i - 3,
    ),
    holdStdin: true,
    killWhen: (lines) => stateCount(lines) >= 6,
  });
  expect(killed.signal).toBe('SIGKILL');
  const acked = states(killed).map((s) => s.stream.stream_state.upTo as number);
  expect(acked.length).toBeGreaterThanOrEqual(6);
  const lastAcked = acked[acked.length - 1]!;
  expect(lastAcked).toBeLessThan(TOTAL - 1);

  // Everything a released state covers is in Kinesis.
  const afterKill = new Set(
    (await readStream(kinesis, '_ticks')).map(
      (r) => JSON.parse(JSON.parse(r.data.toString())._airbyte_data).id,
    ),
  );
  for (let i = 0; i <= lastAcked; i++) expect(afterKill.has(i)).toBe(true);

  // The platform resends from the last released state.
  const rerun = await runBin(['write', '--config', config, '--catalog', cat], chunks(lastAcked + 1, TOTAL));
  expect(errors(rerun)).toEqual([]);
  expect(rerun.code).toBe(0);
  expect(states(rerun).at(-1)!.stream.stream_state).toEqual({ upTo: TOTAL - 1 });

  const ids = (await readStream(kinesis, '_ticks')).map(
    (r) => JSON.parse(JSON.parse(r.data.toString())._airbyte_data).id as number,
  );
  expect(new Set(ids).size).toBe(TOTAL);
  // Duplicates only among records sent after the last released state (at-least-once).
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) expect(id).toBeGreaterThan(lastAcked);
    seen.add(id);
  }
});
