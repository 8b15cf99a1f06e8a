#!/usr/bin/env node
// A minimal Kinesis endpoint for the benchmark: speaks the Kinesis JSON 1.1 protocol over HTTP/1.1
// for the calls the destination and the SDK ceiling make (CreateStream, DescribeStreamSummary,
// ListShards, ListStreams, DeleteStream, PutRecords), keeps no data, and answers PutRecords with
// sequence numbers and shard ids. It counts what it accepted (user records inside KPL aggregates
// included) so a run can be checked for completeness.
//
// Without limits, PutRecords is answered without parsing the body (entries are counted by their
// "PartitionKey" members), so the sink costs the clients' machine little CPU and the figures are
// the clients' own. With limits on (POST /control {"limits":true}) it parses every request and
// enforces Kinesis' per-shard write limits —
// 1,000 records/s and 1 MiB/s per shard, with one second of burst — by refusing entries past them
// with ProvisionedThroughputExceededException, as Kinesis does. kinesis-local enforces none.
//
// Prints "listening <port>" on stdout once ready.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { decodeAggregate, isAggregated } from '../dist/index.js';

const MAX_HASH = (1n << 128n) - 1n;
/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();
const streams = new Map();
let limits = false;
let seq = 0n;

function newStream(name, shardCount) {
  const shards = [];
  const width = (MAX_HASH + 1n) / BigInt(shardCount);
  for (let i = 0; i < shardCount; i++) {
    const start = width * BigInt(i);
    const end = i === shardCount - 1 ? MAX_HASH : start + width - 1n;
    shards.push({
      id: `shardId-${String(i).padStart(12, '0')}`,
      start,
      end,
      records: 1000,
      bytes: 1 << 20,
      at: Date.now(),
    });
  }
  return {
    name,
    shards,
    created: Date.now() / 1000,
    entries: 0,
    userRecords: 0,
    bytes: 0,
    throttled: 0,
    /** When the first PutRecords reached this stream (epoch ms, sub-ms precision); 0: none yet. */
    firstPutAt: 0,
    mode: 'PROVISIONED',
  };
}

function shardOf(stream, partitionKey, explicitHashKey) {
  if (stream.shards.length === 1) return stream.shards[0];
  const hash =
    explicitHashKey !== undefined
      ? BigInt(explicitHashKey)
      : BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
  for (const s of stream.shards) if (hash >= s.start && hash <= s.end) return s;
  return stream.shards[stream.shards.length - 1];
}

/** Token buckets per shard, refilled continuously, at most one second's worth. */
function admit(shard, bytes) {
  const now = Date.now();
  const dt = (now - shard.at) / 1000;
  shard.at = now;
  shard.records = Math.min(1000, shard.records + dt * 1000);
  shard.bytes = Math.min(1 << 20, shard.bytes + dt * (1 << 20));
  if (shard.records < 1 || shard.bytes < bytes) return false;
  shard.records -= 1;
  shard.bytes -= bytes;
  return true;
}

class AwsError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}

function stream(name) {
  const s = streams.get(name);
  if (!s)
    throw new AwsError('ResourceNotFoundException', `Stream ${name} under account 000000000000 not found.`);
  return s;
}

const ops = {
  CreateStream(b) {
    if (streams.has(b.StreamName))
      throw new AwsError('ResourceInUseException', `Stream ${b.StreamName} already exists`);
    const s = newStream(b.StreamName, b.ShardCount ?? 4);
    if (b.StreamModeDetails?.StreamMode === 'ON_DEMAND') s.mode = 'ON_DEMAND';
    streams.set(b.StreamName, s);
    return {};
  },
  DescribeStreamSummary(b) {
    const s = stream(b.StreamName);
    return {
      StreamDescriptionSummary: {
        StreamName: s.name,
        StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${s.name}`,
        StreamStatus: 'ACTIVE',
        StreamModeDetails: { StreamMode: s.mode },
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: s.created,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: 'NONE',
        OpenShardCount: s.shards.length,
        ConsumerCount: 0,
      },
    };
  },
  ListShards(b) {
    const s = stream(b.StreamName);
    return {
      Shards: s.shards.map((sh) => ({
        ShardId: sh.id,
        HashKeyRange: { StartingHashKey: sh.start.toString(), EndingHashKey: sh.end.toString() },
        SequenceNumberRange: { StartingSequenceNumber: '0' },
      })),
    };
  },
  ListStreams() {
    return { StreamNames: [...streams.keys()], HasMoreStreams: false };
  },
  DeleteStream(b) {
    stream(b.StreamName);
    streams.delete(b.StreamName);
    return {};
  },
  PutRecords(b) {
    const s = stream(b.StreamName);
    if (s.firstPutAt === 0) s.firstPutAt = now();
    let failed = 0;
    const Records = b.Records.map((r) => {
      const shard = shardOf(s, r.PartitionKey, r.ExplicitHashKey);
      // Base64 length → bytes, without decoding.
      const dataBytes =
        Math.floor((r.Data.length * 3) / 4) - (r.Data.endsWith('==') ? 2 : r.Data.endsWith('=') ? 1 : 0);
      const bytes = dataBytes + Buffer.byteLength(r.PartitionKey);
      if (limits && !admit(shard, bytes)) {
        failed++;
        s.throttled++;
        return {
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: `Rate exceeded for shard ${shard.id} in stream ${s.name} under account 000000000000.`,
        };
      }
      s.entries++;
      s.bytes += bytes;
      // "84ma" is the base64 of the KPL magic's first three bytes.
      if (r.Data.startsWith('84ma')) {
        const data = Buffer.from(r.Data, 'base64');
        s.userRecords += isAggregated(data) ? decodeAggregate(data).length : 1;
      } else s.userRecords++;
      seq++;
      return { SequenceNumber: seq.toString().padStart(56, '4'), ShardId: shard.id };
    });
    return { FailedRecordCount: failed, Records, EncryptionType: 'NONE' };
  },
};

const PK = Buffer.from('"PartitionKey"');
const SN = '"StreamName":"';

/** PutRecords without limits: count the entries in the raw body and accept them all. */
function fastPutRecords(raw) {
  const text = raw.toString('latin1');
  const at = text.indexOf(SN);
  const name = at < 0 ? '' : text.slice(at + SN.length, text.indexOf('"', at + SN.length));
  const s = stream(name);
  if (s.firstPutAt === 0) s.firstPutAt = now();
  let n = 0;
  for (let i = raw.indexOf(PK); i >= 0; i = raw.indexOf(PK, i + PK.length)) n++;
  s.entries += n;
  s.userRecords += n;
  s.bytes += raw.length;
  const shard = s.shards[0].id;
  const parts = new Array(n);
  for (let i = 0; i < n; i++) {
    seq++;
    parts[i] = `{"SequenceNumber":"${seq}","ShardId":"${shard}"}`;
  }
  return `{"FailedRecordCount":0,"Records":[${parts.join(',')}],"EncryptionType":"NONE"}`;
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const send = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    try {
      if (req.method === 'GET' && req.url === '/stats') {
        const out = {};
        for (const [name, s] of streams)
          out[name] = {
            entries: s.entries,
            userRecords: s.userRecords,
            bytes: s.bytes,
            throttled: s.throttled,
            firstPutAt: s.firstPutAt,
          };
        send(200, out);
        return;
      }
      const raw = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!limits && target.endsWith('.PutRecords')) {
        const text = fastPutRecords(raw);
        res.writeHead(200, {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
        return;
      }
      const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      if (req.url === '/control') {
        if (typeof body.limits === 'boolean') limits = body.limits;
        send(200, { limits });
        return;
      }
      const op = String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop();
      const handler = ops[op];
      if (!handler)
        throw new AwsError('UnknownOperationException', `operation ${op} is not supported by the bench sink`);
      send(200, handler(body));
    } catch (err) {
      if (err instanceof AwsError) send(400, { __type: err.type, message: err.message });
      else send(500, { __type: 'InternalFailure', message: String(err) });
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
