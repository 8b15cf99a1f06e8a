import type { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  awsError,
  type FaultDecision,
  type FaultProxy,
  type ProxiedRequest,
  startFaultProxy,
} from '@tributary/testkit';
import {
  accountKey,
  baseConfig,
  catalog,
  client,
  deleteAllStreams,
  endpoint,
  errors,
  jsonFile,
  logs,
  type ReadRecord,
  readStream,
  record,
  type RunOptions,
  runBin,
  type StreamDef,
  states,
  streamState,
} from './helpers.js';

// Faults provoked for real: the connector talks to a proxy in front of the emulator, which refuses
// some PutRecords entries (forwarding only the others and answering ErrorCode for the refused ones)
// or answers whole requests with ProvisionedThroughputExceededException.

const ACCOUNT = accountKey(600_004);

interface PutBody {
  StreamName: string;
  Records: Array<{ Data: string; PartitionKey: string; ExplicitHashKey?: string }>;
}
interface PutAnswer {
  FailedRecordCount?: number;
  Records: Array<Record<string, unknown>>;
}

const THROTTLED = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream under account 000000600004.',
};

/** Refuses the entries `refuse` picks: forwards the rest, then puts the refusals back in their places. */
function refuseEntries(
  req: ProxiedRequest,
  refuse: (index: number, entry: PutBody['Records'][number]) => boolean,
): FaultDecision {
  const body = req.body as PutBody;
  const refused = body.Records.map((e, i) => refuse(i, e));
  const n = refused.filter(Boolean).length;
  if (n === 0) return { action: 'forward' };
  if (n === refused.length) {
    return {
      action: 'respond',
      status: 200,
      body: { FailedRecordCount: n, Records: refused.map(() => THROTTLED) },
    };
  }
  return {
    action: 'forward',
    body: { ...body, Records: body.Records.filter((_, i) => !refused[i]) },
    rewriteResponse: (answer) => {
      const a = answer as PutAnswer;
      let j = 0;
      return {
        ...a,
        FailedRecordCount: (a.FailedRecordCount ?? 0) + n,
        Records: refused.map((r) => (r ? THROTTLED : a.Records[j++])),
      };
    },
  };
}

function dataOf(r: ReadRecord): Record<string, any> {
  return JSON.parse(JSON.parse(r.data.toString('utf8'))._airbyte_data);
}

let kinesis: KinesisClient;
let proxy: FaultProxy;
beforeAll(async () => {
  kinesis = client(ACCOUNT);
  proxy = await startFaultProxy(endpoint());
});
afterEach(() => deleteAllStreams(kinesis), 60_000);
afterAll(async () => {
  kinesis.destroy();
  await proxy.close();
});

function write(
  config: Record<string, unknown>,
  streams: StreamDef[],
  input: string[],
  opts: RunOptions = {},
) {
  return runBin(
    [
      'write',
      '--config',
      jsonFile(
        baseConfig(ACCOUNT, {
          endpoint: proxy.endpoint,
          retryBaseDelayMs: 20,
          retryMaxDelayMs: 200,
          ...config,
        }),
      ),
      '--catalog',
      jsonFile(catalog(streams)),
    ],
    input,
    opts,
  );
}

/** A policy for PutRecords only, told how many PutRecords requests it saw (1-based, this one included). */
function onPutRecords(decide: (req: ProxiedRequest, n: number) => FaultDecision | null): void {
  let n = 0;
  proxy.setPolicy((req) => {
    if (req.operation !== 'PutRecords') return { action: 'forward' };
    return decide(req, ++n) ?? { action: 'forward' };
  });
}

function injected(): number {
  return proxy.injected.get('PutRecords') ?? 0;
}

/** 50 keys × 20 versions in `keyed`, and 1000 keyless records in `loose`, with states. */
function input(): string[] {
  const lines: string[] = [];
  for (let v = 0; v < 20; v++) {
    for (let k = 0; k < 50; k++) {
      lines.push(record('keyed', { id: k, version: v }));
      lines.push(record('loose', { n: v * 50 + k }));
    }
    if (v % 5 === 4) {
      lines.push(streamState('keyed', { v }));
      lines.push(streamState('loose', { v }));
    }
  }
  return lines;
}

function expectComplete(keyed: ReadRecord[], loose: ReadRecord[]): void {
  // Keyed: exactly every version of every key, and per key in the order written.
  expect(keyed).toHaveLength(1000);
  const versions = new Map<number, number[]>();
  for (const r of keyed) {
    const d = dataOf(r);
    versions.set(d.id, [...(versions.get(d.id) ?? []), d.version]);
  }
  expect(versions.size).toBe(50);
  for (const list of versions.values()) expect(list).toEqual([...Array(20).keys()]);
  // Keyless: every record, none twice.
  expect(loose.map((r) => dataOf(r).n).sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
}

const STREAMS: StreamDef[] = [{ name: 'keyed', primaryKey: [['id']] }, { name: 'loose' }];

describe('faults provoked through a proxy', () => {
  test('partial PutRecords failures: only refused entries are resent; nothing lost, per-key order kept', async () => {
    // For the first 60 requests, refuse every third entry (earlier entries fail, later ones pass).
    const before = injected();
    onPutRecords((req, n) => (n <= 60 ? refuseEntries(req, (i) => (i + n) % 3 === 0) : null));
    const r = await write({ shardCount: 2 }, STREAMS, input());
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(states(r)).toHaveLength(8);
    expect(injected() - before).toBeGreaterThan(10);
    expect(
      logs(r).some((m) => /Kinesis refused \d+ entr.*ProvisionedThroughputExceededException/.test(m)),
    ).toBe(true);
    expectComplete(await readStream(kinesis, '_keyed'), await readStream(kinesis, '_loose'));
  });

  test('whole requests throttled with 400: backed off and retried; nothing lost, per-key order kept', async () => {
    const before = injected();
    onPutRecords((_req, n) =>
      n <= 40 && n % 2 === 1
        ? {
            action: 'respond',
            status: 400,
            body: awsError('ProvisionedThroughputExceededException', 'Rate exceeded for stream'),
          }
        : null,
    );
    // Senders on the main thread here (the default on 2+ CPUs is the sender thread).
    const r = await write({ shardCount: 2, workerThread: false }, STREAMS, input());
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(injected() - before).toBe(20);
    expectComplete(await readStream(kinesis, '_keyed'), await readStream(kinesis, '_loose'));
    const summary = logs(r).filter((m) => /records accepted in/.test(m));
    expect(summary.some((m) => /[1-9]\d* throttled/.test(m))).toBe(true);
  });

  test.each([
    ['on the sender thread', true],
    ['on the main thread', false],
  ])(
    'past the retry bound (senders %s): TRACE error, non-zero exit, and no state for records Kinesis never took',
    async (_where, workerThread) => {
      onPutRecords((req) =>
        refuseEntries(req, (_i, e) => Buffer.from(e.Data, 'base64').toString().includes('doomed')),
      );
      let first = '';
      for (let i = 0; i < 50; i++) first += record('keyed', { id: i, fine: true });
      first += streamState('keyed', { upTo: 49 });
      let second = '';
      for (let i = 50; i < 60; i++) second += record('keyed', { id: i, doomed: true });
      second += streamState('keyed', { upTo: 59 });
      // The doomed records are sent once the first state went out.
      const r = await write(
        { maxRetries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 20, workerThread },
        [STREAMS[0]!],
        [first, second],
        {
          gates: [undefined, (lines) => lines.some((l) => l.type === 'STATE')],
        },
      );
      expect(r.code).not.toBe(0);
      const [err] = errors(r);
      expect(err.failure_type).toBe('transient_error');
      expect(err.message).toMatch(
        /did not accept a record of stream _keyed after 3 attempts.*ProvisionedThroughputExceededException/,
      );
      // The first state's records were all accepted: it went out; the second never does.
      expect(states(r).map((s) => s.stream.stream_state)).toEqual([{ upTo: 49 }]);
      const got = await readStream(kinesis, '_keyed');
      expect(got.map((g) => dataOf(g).id).sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    },
  );
});
