import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  type AirbyteConnectionStatus,
  classifyError,
  type ConnectorContext,
  errorMessage,
  isTributaryError,
} from '@tributary/airbyte-protocol';
import { explainAwsError } from './aws-errors.js';
import { RequestGate } from './batch-writer.js';
import { createClient } from './client.js';
import { type DynamoDbConfig, resolveConnection } from './config.js';
import { RAW_KEY } from './item-mapping/keys.js';
import { checkTableName } from './naming.js';
import { TableManager } from './table-manager.js';

/**
 * Proves what a sync needs, on a table of its own: CreateTable (with the configured billing mode)
 * and DescribeTable until ACTIVE, BatchWriteItem, a conditional PutItem, GetItem (the item read
 * back equal), Scan, DeleteItem, the TTL calls when a TTL is configured, and DeleteTable.
 * The table is deleted in every case. A failure names what to fix: credentials, the missing IAM
 * permission, an unreachable endpoint or region.
 */
export async function checkConnection(
  config: DynamoDbConfig,
  ctx: ConnectorContext,
): Promise<AirbyteConnectionStatus> {
  const { endpoint, region } = resolveConnection(config);
  const where = endpoint ?? `DynamoDB in ${region}`;
  const client = createClient(config, { maxSockets: 4, requestTimeoutMs: 20_000 });
  const gate = new RequestGate(
    client,
    4,
    { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 },
    where,
    ctx.logger,
  );
  const tables = new TableManager(gate, config.billing_mode, ctx.logger, 3 * 60_000);
  const table = checkTableName(config.dynamodb_table_name_prefix, randomUUID());
  let step = 'CreateTable';
  try {
    await tables.ensure(table, RAW_KEY, false);
    const key = (id: string, at: number) => ({ _airbyte_ab_id: { S: id }, sync_time: { N: String(at) } });
    const data = { _airbyte_data: { M: { check: { S: 'tributary' } } } };
    const first = key(randomUUID(), Date.now());
    const second = key(randomUUID(), Date.now());

    step = 'BatchWriteItem';
    await gate.batchWrite(table, [{ put: { ...first, ...data }, wire: 256 }]);
    step = 'PutItem';
    await gate.call('PutItem', table, () =>
      client.send(
        new PutItemCommand({
          TableName: table,
          Item: { ...second, ...data },
          ConditionExpression: 'attribute_not_exists(#k)',
          ExpressionAttributeNames: { '#k': '_airbyte_ab_id' },
        }),
      ),
    );
    step = 'GetItem';
    const got = await gate.call('GetItem', table, () =>
      client.send(new GetItemCommand({ TableName: table, Key: first, ConsistentRead: true })),
    );
    if (got.Item?._airbyte_data?.M?.check?.S !== 'tributary') {
      return { status: 'FAILED', message: `an item written to ${table} could not be read back` };
    }
    step = 'Scan';
    const scanned = await gate.call('Scan', table, () =>
      client.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          ProjectionExpression: '#k',
          ExpressionAttributeNames: { '#k': '_airbyte_ab_id' },
        }),
      ),
    );
    if ((scanned.Items?.length ?? 0) !== 2) {
      return { status: 'FAILED', message: `a scan of ${table} did not return the 2 items written` };
    }
    step = 'DeleteItem';
    await gate.call('DeleteItem', table, () =>
      client.send(new DeleteItemCommand({ TableName: table, Key: second })),
    );
    if (config.ttl_seconds) {
      step = 'UpdateTimeToLive';
      await tables.ensureTtl(table, config.ttl_attribute);
    }
    step = 'DeleteTable';
    await tables.drop(table);
    tables.createdTables.delete(table);
    return { status: 'SUCCEEDED' };
  } catch (err) {
    const explained = isTributaryError(err)
      ? err
      : explainAwsError(err, { action: step, table, endpoint: where });
    const message = errorMessage(explained);
    return {
      status: 'FAILED',
      message: classifyError(explained) === 'config_error' ? message : `${step} failed: ${message}`,
    };
  } finally {
    if (tables.createdTables.has(table)) {
      await tables.drop(table).catch((err: unknown) => {
        ctx.logger.warn(`could not delete the check table ${table}: ${errorMessage(err)}`);
      });
    }
    client.destroy();
  }
}
