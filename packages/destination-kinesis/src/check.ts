import { randomBytes } from 'node:crypto';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  type KinesisClient,
  ListStreamsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import {
  type AirbyteConnectionStatus,
  type ConnectorContext,
  errorMessage,
} from '@tributary/airbyte-protocol';
import { describeAwsError, kinesisClientFor } from './client.js';
import type { KinesisConfig } from './config.js';
import { waitActive } from './stream-manager.js';

/** Prefix of the streams `check` creates to prove writes; only such a stream it created itself is deleted. */
export const CHECK_STREAM_PREFIX = 'tributary_check_';

const CALL_TIMEOUT_MS = 30_000;

/**
 * `check`: ListStreams proves the endpoint, region and credentials (and the permission to list).
 * With `verifyWritesOnCheck`, it also creates a uniquely named one-shard stream, puts a record and
 * deletes that stream — never any other (upstream created and deleted `test_stream`, whoever owned it).
 */
export async function check(config: KinesisConfig, ctx: ConnectorContext): Promise<AirbyteConnectionStatus> {
  let client: KinesisClient;
  try {
    client = kinesisClientFor(config, { maxSockets: 4, requestTimeoutMs: CALL_TIMEOUT_MS });
  } catch (err) {
    return { status: 'FAILED', message: errorMessage(err) };
  }
  try {
    try {
      const out = await client.send(new ListStreamsCommand({ Limit: 10 }), {
        abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      ctx.logger.info(
        `check: ListStreams answered (${out.StreamNames?.length ?? 0} stream(s) on the first page)`,
      );
    } catch (err) {
      return { status: 'FAILED', message: describeAwsError(err, 'kinesis:ListStreams', config) };
    }
    if (config.verifyWritesOnCheck) {
      const failure = await verifyWrites(client, config, ctx);
      if (failure !== null) return { status: 'FAILED', message: failure };
    }
    return { status: 'SUCCEEDED' };
  } finally {
    client.destroy();
  }
}

/** Creates, writes to and deletes a stream of its own; returns a failure message or null. */
async function verifyWrites(
  client: KinesisClient,
  config: KinesisConfig,
  ctx: ConnectorContext,
): Promise<string | null> {
  const name = `${CHECK_STREAM_PREFIX}${randomBytes(6).toString('hex')}`;
  try {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }), {
      abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (err) {
    return `cannot create the check stream ${name}: ${describeAwsError(err, 'kinesis:CreateStream', config)}`;
  }
  // From here on the stream is ours: delete it whatever happens.
  try {
    await waitActive(client, name, 300_000, ctx.signal);
    const out = await client.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: [{ Data: Buffer.from('{"check":"tributary"}'), PartitionKey: 'check' }],
      }),
      { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
    );
    const entry = out.Records?.[0];
    if ((out.FailedRecordCount ?? 0) > 0 || entry?.ErrorCode) {
      return `Kinesis refused the check record (${entry?.ErrorCode ?? 'unknown'}: ${entry?.ErrorMessage ?? ''})`;
    }
    ctx.logger.info(`check: wrote a record to ${name}`);
    return null;
  } catch (err) {
    return `writing to the check stream ${name} failed: ${describeAwsError(err, 'kinesis:PutRecords', config)}`;
  } finally {
    try {
      await client.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }), {
        abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      ctx.logger.info(`check: deleted its stream ${name}`);
    } catch (err) {
      ctx.logger.warn(`check: could not delete its stream ${name}; delete it by hand (${errorMessage(err)})`);
    }
  }
}
