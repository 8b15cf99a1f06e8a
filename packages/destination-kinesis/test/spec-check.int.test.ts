import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListStreamsCommand,
} from '@aws-sdk/client-kinesis';
import { awsError, type FaultProxy, startFaultProxy } from '@tributary/testkit';
import {
  accountKey,
  baseConfig,
  byType,
  client,
  deleteAllStreams,
  endpoint,
  errors,
  jsonFile,
  runBin,
} from './helpers.js';

const ACCOUNT = accountKey(600_001);

function connectionStatus(r: Awaited<ReturnType<typeof runBin>>) {
  const lines = byType(r, 'CONNECTION_STATUS');
  expect(lines).toHaveLength(1);
  return lines[0]!.connectionStatus as { status: string; message?: string };
}

describe('spec', () => {
  test('answers the spec: upstream fields first, secrets marked, append and overwrite', async () => {
    const r = await runBin(['spec']);
    expect(r.code).toBe(0);
    const spec = byType(r, 'SPEC')[0]!.spec;
    expect(spec.documentationUrl).toMatch(/kinesis/);
    expect(spec.supported_destination_sync_modes).toEqual(['append', 'overwrite']);
    const props = spec.connectionSpecification.properties;
    expect(Object.keys(props).slice(0, 6)).toEqual([
      'endpoint',
      'region',
      'shardCount',
      'accessKey',
      'privateKey',
      'bufferSize',
    ]);
    expect(props.privateKey.airbyte_secret).toBe(true);
    expect(spec.connectionSpecification.additionalProperties).toBe(true);
  });
});

describe('check', () => {
  let kinesis: KinesisClient;
  let proxy: FaultProxy;

  beforeAll(async () => {
    kinesis = client(ACCOUNT);
    proxy = await startFaultProxy(endpoint());
  });
  afterAll(async () => {
    await deleteAllStreams(kinesis);
    kinesis.destroy();
    await proxy.close();
  });

  test('SUCCEEDED against a reachable endpoint with valid credentials', async () => {
    const r = await runBin(['check', '--config', jsonFile(baseConfig(ACCOUNT))]);
    expect(r.code).toBe(0);
    expect(connectionStatus(r)).toEqual({ status: 'SUCCEEDED' });
  });

  test('FAILED, naming the endpoint, when nothing listens there', async () => {
    const r = await runBin([
      'check',
      '--config',
      jsonFile(baseConfig(ACCOUNT, { endpoint: 'http://127.0.0.1:9' })),
    ]);
    expect(r.code).toBe(0);
    const status = connectionStatus(r);
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/127\.0\.0\.1:9.*connection refused.*endpoint/);
  });

  /** `check` through the fault proxy, every call answered with this AWS error; its CONNECTION_STATUS. */
  const checkAnsweredWith = async (type: string, message: string) => {
    proxy.setPolicy(() => ({ action: 'respond', status: 400, body: awsError(type, message) }));
    const config = jsonFile(baseConfig(ACCOUNT, { endpoint: proxy.endpoint }));
    return connectionStatus(await runBin(['check', '--config', config]));
  };

  test('FAILED with what to fix when AWS refuses the credentials (answered by the fault proxy)', async () => {
    const status = await checkAnsweredWith(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/rejected the credentials.*check accessKey and privateKey/);
    expect(status.message).not.toContain('secret');
  });

  test('FAILED naming the missing permission on AccessDenied', async () => {
    const status = await checkAnsweredWith(
      'AccessDeniedException',
      'User is not authorized to perform kinesis:ListStreams',
    );
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/not allowed to call kinesis:ListStreams/);
  });

  test('FAILED for config mistakes: plain http off loopback, one key without the other', async () => {
    const http = await runBin([
      'check',
      '--config',
      jsonFile(baseConfig(ACCOUNT, { endpoint: 'http://kinesis.example.com' })),
    ]);
    expect(connectionStatus(http).message).toMatch(/plain HTTP.*https/);
    const oneKey = await runBin(['check', '--config', jsonFile(baseConfig(ACCOUNT, { privateKey: '' }))]);
    expect(connectionStatus(oneKey).message).toMatch(/both the access key id and the secret access key/);
    const bad = await runBin(['check', '--config', jsonFile(baseConfig(ACCOUNT, { bufferSize: 1000 }))]);
    expect(connectionStatus(bad).message).toMatch(/config\.bufferSize/);
  });

  test('proving writes uses a stream of its own and deletes only that one; test_stream is left alone', async () => {
    proxy.setPolicy(() => ({ action: 'forward' }));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'test_stream', ShardCount: 1 }));
    const r = await runBin([
      'check',
      '--config',
      jsonFile(baseConfig(ACCOUNT, { verifyWritesOnCheck: true })),
    ]);
    expect(connectionStatus(r)).toEqual({ status: 'SUCCEEDED' });
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'test_stream' }));
    expect(summary.StreamDescriptionSummary?.StreamStatus).toMatch(/CREATING|ACTIVE/);
    // Its own stream is gone (or going).
    for (let i = 0; i < 50; i++) {
      const names = (await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? [];
      if (!names.some((n) => n.startsWith('tributary_check_'))) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const names = (await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? [];
    expect(names).toEqual(['test_stream']);
  });

  test('a failed write probe says which call failed and still deletes its stream', async () => {
    proxy.setPolicy((req) =>
      req.operation === 'PutRecords'
        ? {
            action: 'respond',
            status: 400,
            body: awsError('AccessDeniedException', 'not authorized to perform kinesis:PutRecords'),
          }
        : { action: 'forward' },
    );
    const r = await runBin([
      'check',
      '--config',
      jsonFile(baseConfig(ACCOUNT, { endpoint: proxy.endpoint, verifyWritesOnCheck: true })),
    ]);
    const status = connectionStatus(r);
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(
      /writing to the check stream tributary_check_[0-9a-f]+ failed.*kinesis:PutRecords/,
    );
    expect(proxy.counts.get('DeleteStream')).toBe(1);
    expect(errors(r)).toEqual([]);
  });
});
