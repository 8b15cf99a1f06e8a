import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRetryable } from '@tributary/airbyte-protocol';
import { kinesisClientFor } from '../src/client.js';
import { configSchema } from '../src/config.js';
import { classifyRequestError, putRecordsWith, RequestTimeoutError } from '../src/put-records.js';
import { encodePutRecords, errorFromAnswer } from '../src/put-records-codec.js';

/** A local HTTP endpoint answering with `handler`, and a PutRecords-only client pointed at it. */
async function server(handler: Parameters<typeof createServer>[1]) {
  const srv = createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const config = configSchema.parse({
    endpoint: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    region: 'us-east-1',
    accessKey: 'AK',
    privateKey: 'SK',
  });
  return { srv, client: kinesisClientFor(config, { putRecordsOnly: true }) };
}

describe('PutRecords codec', () => {
  test('the body is the AWS JSON 1.1 form of the input', () => {
    const body = encodePutRecords({
      StreamName: 'a"b',
      Records: [
        { Data: Buffer.from('hello'), PartitionKey: 'k"1' },
        {
          Data: new Uint8Array(Buffer.from('xxworldxx')).subarray(2, 7),
          PartitionKey: 'é',
          ExplicitHashKey: '42',
        },
      ],
    });
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      StreamName: 'a"b',
      Records: [
        { Data: Buffer.from('hello').toString('base64'), PartitionKey: 'k"1' },
        { Data: Buffer.from('world').toString('base64'), PartitionKey: 'é', ExplicitHashKey: '42' },
      ],
    });
  });

  test('the body is byte for byte what JSON.stringify writes, for any data and keys', () => {
    const keys = ['1', '', 'k"\\\n', 'é', '🙂 emoji', 'x'.repeat(256), '\u2028', '\ud800 lone'];
    const records = [];
    for (let i = 0; i < 40; i++) {
      const data = Buffer.alloc(i * 7 + (i % 3));
      for (let j = 0; j < data.length; j++) data[j] = (i * 31 + j * 7) & 0xff;
      const record: { Data: Uint8Array; PartitionKey: string; ExplicitHashKey?: string } = {
        Data: i % 2 === 0 ? data : new Uint8Array(Buffer.concat([Buffer.from('ab'), data])).subarray(2),
        PartitionKey: keys[i % keys.length]!,
      };
      if (i % 5 === 0) record.ExplicitHashKey = String(BigInt(i) * 10n ** 30n);
      records.push(record);
    }
    const body = encodePutRecords({ StreamName: 'stream-é', Records: records });
    const expected = JSON.stringify({
      StreamName: 'stream-é',
      Records: records.map((r) => ({
        Data: Buffer.from(r.Data).toString('base64'),
        PartitionKey: r.PartitionKey,
        ...(r.ExplicitHashKey === undefined ? {} : { ExplicitHashKey: r.ExplicitHashKey }),
      })),
    });
    expect(body.toString('utf8')).toBe(expected);
    expect(body.equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(encodePutRecords({ StreamName: 's', Records: [] }).toString()).toBe(
      '{"StreamName":"s","Records":[]}',
    );
  });

  test('error answers are named as the SDK names them, and classified the same way', () => {
    const throttled = errorFromAnswer(
      400,
      {},
      '{"__type":"com.amazonaws.kinesis.v20131202#ProvisionedThroughputExceededException","message":"Rate exceeded"}',
    );
    expect(throttled.name).toBe('ProvisionedThroughputExceededException');
    expect(throttled.message).toBe('Rate exceeded');
    expect(classifyRequestError(throttled, 's')).toBe('retry');
    const missing = errorFromAnswer(
      400,
      {},
      '{"__type":"ResourceNotFoundException","Message":"Stream s not found"}',
    );
    expect((classifyRequestError(missing, 's') as unknown as { failureType: string }).failureType).toBe(
      'config_error',
    );
    const header = errorFromAnswer(403, { 'x-amzn-errortype': 'AccessDeniedException:http://internal' }, '');
    expect(header.name).toBe('AccessDeniedException');
    const gateway = errorFromAnswer(502, {}, '<html>bad gateway</html>');
    expect(gateway.name).toBe('HttpStatus502');
    expect(isRetryable(gateway)).toBe(true);
  });

  test('a PutRecords-only client sends the lean body, signed, and reads refusals from the answer', async () => {
    let seen: { headers: IncomingHttpHeaders; body: string } | null = null;
    const { srv, client } = await server((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { headers: req.headers, body };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        if (body.includes('"all-good"')) {
          res.end(
            '{"EncryptionType":"NONE","FailedRecordCount":0,"Records":[{"SequenceNumber":"7","ShardId":"s"}]}',
          );
          return;
        }
        res.end(
          '{"FailedRecordCount":1,"Records":[{"SequenceNumber":"1","ShardId":"shardId-000000000000"},{"ErrorCode":"InternalFailure","ErrorMessage":"try again"}]}',
        );
      });
    });
    try {
      const out = await client.send(
        new PutRecordsCommand({
          StreamName: 'orders',
          Records: [
            { Data: Buffer.from('{"a":1}'), PartitionKey: '1' },
            { Data: Buffer.from('{"a":2}'), PartitionKey: '2' },
          ],
        }),
      );
      expect(out.FailedRecordCount).toBe(1);
      expect(out.Records?.[1]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' });
      expect(seen!.headers['x-amz-target']).toBe('Kinesis_20131202.PutRecords');
      expect(seen!.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(seen!.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/us-east-1\/kinesis\/aws4_request/,
      );
      const good = await client.send(
        new PutRecordsCommand({
          StreamName: 'all-good',
          Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }],
        }),
      );
      expect(good.FailedRecordCount).toBe(0);
      expect(good.Records).toHaveLength(1);
      expect(good.Records?.[0]?.ErrorCode).toBeUndefined();
      expect(JSON.parse(seen!.body).StreamName).toBe('all-good');
    } finally {
      client.destroy();
      srv.close();
    }
  });

  test('lean body checked against what was sent', async () => {
    let seen: { body: string; length: string | undefined } | null = null;
    const { srv, client } = await server((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        expect(raw.length).toBe(Number(req.headers['content-length']));
        seen = { body: raw.toString('utf8'), length: req.headers['content-length'] };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          '{"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"s"},{"SequenceNumber":"2","ShardId":"s"}]}',
        );
      });
    });
    try {
      await client.send(
        new PutRecordsCommand({
          StreamName: 'orders',
          Records: [
            { Data: Buffer.from('{"a":1}'), PartitionKey: '1' },
            { Data: Buffer.from('{"a":"é"}'), PartitionKey: 'clé 🙂' },
          ],
        }),
      );
      // Non-ASCII keys travel as UTF-8, and the content length counts bytes.
      expect(JSON.parse(seen!.body)).toEqual({
        StreamName: 'orders',
        Records: [
          { Data: Buffer.from('{"a":1}').toString('base64'), PartitionKey: '1' },
          { Data: Buffer.from('{"a":"é"}').toString('base64'), PartitionKey: 'clé 🙂' },
        ],
      });
      expect(Number(seen!.length)).toBe(Buffer.byteLength(seen!.body));
    } finally {
      client.destroy();
      srv.close();
    }
  });

  describe('calls through the PutRecords-only client (middleware resolved once)', () => {
    test('concurrent calls to different streams each get their own request and answer', async () => {
      const { srv, client } = await server((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            StreamName: string;
            Records: Array<{ PartitionKey: string }>;
          };
          // Answer late and out of order; refuse entries whose key names another stream.
          const records = body.Records.map((r) =>
            r.PartitionKey === body.StreamName
              ? { SequenceNumber: '1', ShardId: 's' }
              : { ErrorCode: 'InternalFailure', ErrorMessage: `got ${r.PartitionKey}` },
          );
          const failed = records.filter((r) => 'ErrorCode' in r).length;
          setTimeout(
            () => {
              res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
              res.end(JSON.stringify({ FailedRecordCount: failed, Records: records }));
            },
            body.Records.length === 3 ? 10 : 60,
          );
        });
      });
      try {
        const signal = new AbortController().signal;
        const calls = ['a', 'bb', 'ccc'].map((name) =>
          putRecordsWith(client, name)(
            [...Array(name.length)].map(() => ({ Data: Buffer.from(name), PartitionKey: name })),
            signal,
          ),
        );
        const results = await Promise.all(calls);
        expect(results.map((r) => [r.FailedRecordCount, r.Records?.length])).toEqual([
          [0, 1],
          [0, 2],
          [0, 3],
        ]);
      } finally {
        client.destroy();
        srv.close();
      }
    });

    test('a call past its timeout, or aborted, fails and its request is really abandoned', async () => {
      const closed: string[] = [];
      const { srv, client } = await server((req) => {
        // Never answers; notes when the client gives the request up.
        const stream = String(req.headers['x-amz-target']);
        req.resume();
        req.socket.on('close', () => closed.push(stream));
      });
      try {
        const entries = [{ Data: Buffer.from('x'), PartitionKey: 'k' }];
        const t0 = Date.now();
        await expect(putRecordsWith(client, 's', 300)(entries, new AbortController().signal)).rejects.toThrow(
          RequestTimeoutError,
        );
        expect(Date.now() - t0).toBeLessThan(5_000);
        const abort = new AbortController();
        const call = putRecordsWith(client, 's')(entries, abort.signal);
        setTimeout(() => abort.abort(new Error('sender closed')), 100);
        await expect(call).rejects.toThrow();
        for (let i = 0; i < 50 && closed.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
        expect(closed).toHaveLength(2);
      } finally {
        client.destroy();
        srv.close();
      }
    });
  });
});
