import { type ProcessProbe, type RegistryEntry, markerFor, reapDecision } from '../src/registry.js';

const entry = (over: Partial<RegistryEntry> = {}): RegistryEntry => ({
  id: 'kafka-abc',
  name: 'kafka',
  pid: 100,
  ownerPid: 200,
  endpoint: { brokers: ['127.0.0.1:1'] },
  dir: '/tmp/x',
  logFile: '/tmp/x/logs/server.log',
  ports: [1, 2],
  startedAt: '2024-01-01T00:00:00.000Z',
  marker: markerFor('kafka-abc'),
  ...over,
});

function probe(alive: number[], cmdlines: Record<number, string> = {}): ProcessProbe {
  return { isAlive: (pid) => alive.includes(pid), cmdline: (pid) => cmdlines[pid] };
}

const ours = { 100: `/usr/bin/java -D${markerFor('kafka-abc')} kafka.Kafka` };

describe('reapDecision', () => {
  test('a dead server is forgotten', () => {
    expect(reapDecision(entry(), probe([200]))).toBe('forget');
  });

  test('a reused pid (alive, but without our marker) is forgotten, never killed', () => {
    expect(reapDecision(entry(), probe([100], { 100: '/usr/bin/vim notes.txt' }))).toBe('forget');
    expect(reapDecision(entry(), probe([100]))).toBe('forget');
  });

  test('a server whose owner still runs is kept', () => {
    expect(reapDecision(entry(), probe([100, 200], ours))).toBe('keep');
  });

  test('a server whose owner died is an orphan to kill', () => {
    expect(reapDecision(entry(), probe([100], ours))).toBe('kill');
  });

  test('a server started by `servers up` (no owner) is kept', () => {
    expect(reapDecision(entry({ ownerPid: null }), probe([100], ours))).toBe('keep');
  });

  test('the marker must match this entry, not just any testkit server', () => {
    const other = { 100: `/usr/bin/java -D${markerFor('kafka-zzz')} kafka.Kafka` };
    expect(reapDecision(entry(), probe([100], other))).toBe('forget');
  });
});
