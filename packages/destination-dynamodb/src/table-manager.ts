import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ConfigError, isRetryable, SystemError } from '@tributary/airbyte-protocol';
import type { Logger } from './logger.js';
import { awsErrorName } from './aws-errors.js';
import type { RequestGate } from './batch-writer.js';
import type { DynamoDbConfig } from './config.js';
import { describeKey, type KeyAttribute, type KeyRole, type KeyType } from './item-mapping/keys.js';

export type BillingMode = DynamoDbConfig['billing_mode'];

export interface EnsuredTable {
  /** The table did not exist and was created by this call (so it is empty). */
  readonly created: boolean;
  /** The key as the table has it (types taken from the table when it existed). */
  readonly keySchema: readonly KeyAttribute[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates tables when missing (waiting for ACTIVE), checks the key of existing ones, sets up TTL. */
export class TableManager {
  /** Tables this instance created (so that `check` deletes only what it made). */
  readonly createdTables = new Set<string>();

  constructor(
    private readonly gate: RequestGate,
    private readonly billing: BillingMode,
    private readonly logger?: Logger,
    private readonly activeTimeoutMs = 10 * 60_000,
  ) {}

  async describe(table: string): Promise<TableDescription | null> {
    try {
      const out = await this.gate.call(
        'DescribeTable',
        table,
        () => this.gate.client.send(new DescribeTableCommand({ TableName: table })),
        (err) => awsErrorName(err) !== 'ResourceNotFoundException' && isRetryable(err),
      );
      return out.Table ?? null;
    } catch (err) {
      if (awsErrorName((err as { cause?: unknown }).cause) === 'ResourceNotFoundException') return null;
      throw err;
    }
  }

  /**
   * Makes sure `table` exists with the key `desired`. An existing table must have the same key
   * attribute names and roles; `adoptTypes` lets the table's own key types win (primary-key
   * fields whose JSON type was guessed), otherwise types must match too.
   */
  async ensure(table: string, desired: readonly KeyAttribute[], adoptTypes: boolean): Promise<EnsuredTable> {
    let description = await this.describe(table);
    let created = false;
    if (!description) {
      created = await this.create(table, desired);
      description = await this.waitActive(table);
    } else if (description.TableStatus !== 'ACTIVE') {
      description = await this.waitActive(table);
    }
    const actual = keyOf(description);
    const mismatch =
      actual.length !== desired.length ||
      actual.some(
        (a, i) =>
          a.name !== desired[i]!.name ||
          a.role !== desired[i]!.role ||
          (!adoptTypes && a.type !== desired[i]!.type),
      );
    if (mismatch) {
      throw new ConfigError(
        `table ${table} already exists with the key ${describeKey(actual)}, but this stream needs ${describeKey(desired)}. ` +
          'It was created for another layout, sync mode or primary key: choose another dynamodb_table_name_prefix, ' +
          'delete the table (or reset the stream) so it is created again, or switch back to the layout and sync mode it was made for.',
      );
    }
    if (!created && actual.some((a, i) => a.type !== desired[i]!.type)) {
      this.logger?.info(`table ${table}: using its key types (${describeKey(actual)})`);
    }
    return { created, keySchema: actual };
  }

  private async create(table: string, key: readonly KeyAttribute[]): Promise<boolean> {
    const input: CreateTableCommandInput = {
      TableName: table,
      AttributeDefinitions: key.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
      KeySchema: key.map((k) => ({ AttributeName: k.name, KeyType: k.role })),
      ...(this.billing.mode === 'provisioned'
        ? {
            BillingMode: 'PROVISIONED',
            ProvisionedThroughput: {
              ReadCapacityUnits: this.billing.read_capacity_units,
              WriteCapacityUnits: this.billing.write_capacity_units,
            },
          }
        : { BillingMode: 'PAY_PER_REQUEST' }),
    };
    try {
      await this.gate.call(
        'CreateTable',
        table,
        () => this.gate.client.send(new CreateTableCommand(input)),
        (err) => awsErrorName(err) !== 'ResourceInUseException' && isRetryable(err),
      );
      this.createdTables.add(table);
      this.logger?.info(`created table ${table} (${describeKey(key)}, ${this.billing.mode})`);
      return true;
    } catch (err) {
      // Created meanwhile by someone else (another attempt of this sync): use it.
      if (awsErrorName((err as { cause?: unknown }).cause) === 'ResourceInUseException') return false;
      throw err;
    }
  }

  /** Polls DescribeTable until the table is ACTIVE. */
  async waitActive(table: string): Promise<TableDescription> {
    const deadline = Date.now() + this.activeTimeoutMs;
    let delay = 100;
    for (;;) {
      const d = await this.describe(table);
      if (d?.TableStatus === 'ACTIVE') return d;
      if (
        d &&
        (d.TableStatus === 'DELETING' ||
          d.TableStatus === 'ARCHIVED' ||
          d.TableStatus === 'INACCESSIBLE_ENCRYPTION_CREDENTIALS')
      ) {
        throw new SystemError(`table ${table} is ${d.TableStatus}; it cannot be written`);
      }
      if (Date.now() > deadline) {
        throw new SystemError(
          `table ${table} did not become ACTIVE within ${Math.round(this.activeTimeoutMs / 1000)} s (status ${d?.TableStatus ?? 'missing'})`,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 1.5, 3_000);
    }
  }

  /** Deletes a table and waits until it is gone. */
  async drop(table: string): Promise<void> {
    try {
      await this.gate.call(
        'DeleteTable',
        table,
        () => this.gate.client.send(new DeleteTableCommand({ TableName: table })),
        (err) => awsErrorName(err) !== 'ResourceNotFoundException' && isRetryable(err),
      );
    } catch (err) {
      if (awsErrorName((err as { cause?: unknown }).cause) === 'ResourceNotFoundException') return;
      throw err;
    }
    const deadline = Date.now() + this.activeTimeoutMs;
    let delay = 100;
    while ((await this.describe(table)) !== null) {
      if (Date.now() > deadline)
        throw new SystemError(`table ${table} was not deleted within ${this.activeTimeoutMs / 1000} s`);
      await sleep(delay);
      delay = Math.min(delay * 1.5, 3_000);
    }
  }

  /** Turns on TTL on `attribute` unless it is on already; refuses a table whose TTL uses another attribute. */
  async ensureTtl(table: string, attribute: string): Promise<void> {
    const out = await this.gate.call('DescribeTimeToLive', table, () =>
      this.gate.client.send(new DescribeTimeToLiveCommand({ TableName: table })),
    );
    const ttl = out.TimeToLiveDescription;
    const status = ttl?.TimeToLiveStatus ?? 'DISABLED';
    if (status === 'ENABLED' || status === 'ENABLING') {
      if (ttl?.AttributeName && ttl.AttributeName !== attribute) {
        throw new ConfigError(
          `table ${table} already expires items by the attribute ${ttl.AttributeName}; set ttl_attribute to ${ttl.AttributeName} (a table has one TTL attribute)`,
        );
      }
      return;
    }
    await this.gate.call('UpdateTimeToLive', table, () =>
      this.gate.client.send(
        new UpdateTimeToLiveCommand({
          TableName: table,
          TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
        }),
      ),
    );
    this.logger?.info(`table ${table}: time to live enabled on ${attribute}`);
  }
}

export function keyOf(description: TableDescription): KeyAttribute[] {
  const types = new Map(
    (description.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]),
  );
  const schema = [...(description.KeySchema ?? [])].sort((a, b) =>
    a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0,
  );
  return schema.map((k) => ({
    name: k.AttributeName ?? '',
    role: (k.KeyType ?? 'HASH') as KeyRole,
    type: (types.get(k.AttributeName) ?? 'S') as KeyType,
  }));
}
