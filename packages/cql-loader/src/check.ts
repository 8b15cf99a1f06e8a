import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AirbyteConnectionStatus,
  type ConnectorContext,
  errorMessage,
} from '@tributary/airbyte-protocol';
import type cassandra from 'cassandra-driver';
import type { CqlConfig } from './config.js';
import { connect, consistencyOf } from './connection.js';
import { ensureKeyspace } from './ddl.js';
import { explainConnectionError } from './errors.js';
import { keyspaceName, q, qualified } from './naming.js';

/**
 * Proves the config works: connects, creates the keyspace if missing, creates a uniquely named
 * table, writes a row at the configured consistency, reads it back and drops the table (also on
 * failure). A failure says what to fix.
 */
export async function checkCql(
  config: CqlConfig,
  ctx: ConnectorContext,
  driverOptions?: Partial<cassandra.ClientOptions>,
): Promise<AirbyteConnectionStatus> {
  const tls = { tls: !!config.tls?.enabled };
  let client: cassandra.Client;
  try {
    client = (await connect(config, driverOptions)).client;
  } catch (err) {
    return { status: 'FAILED', message: errorMessage(err) };
  }
  const keyspace = keyspaceName(null, config.keyspace);
  const table = `_airbyte_check_${randomBytes(8).toString('hex')}`;
  let step = `creating keyspace ${keyspace}`;
  let created = false;
  try {
    await ensureKeyspace(client, keyspace, config, ctx.logger);
    step = `creating table ${keyspace}.${table}`;
    await client.execute(
      `CREATE TABLE ${qualified(keyspace, table)} (${q('id')} uuid PRIMARY KEY, ${q('v')} text)`,
    );
    created = true;
    const id = randomUUID();
    step = `writing to ${keyspace}.${table} at consistency ${config.consistency}`;
    await client.execute(
      `INSERT INTO ${qualified(keyspace, table)} (${q('id')}, ${q('v')}) VALUES (?, ?)`,
      [id, '{}'],
      {
        prepare: true,
        consistency: consistencyOf(config.consistency),
      },
    );
    step = `reading from ${keyspace}.${table}`;
    const rs = await client.execute(
      `SELECT ${q('v')} FROM ${qualified(keyspace, table)} WHERE ${q('id')} = ?`,
      [id],
      {
        prepare: true,
        consistency: consistencyOf(config.consistency),
      },
    );
    if (rs.first()?.get('v') !== '{}') {
      return { status: 'FAILED', message: `${step}: the row written was not read back` };
    }
    return { status: 'SUCCEEDED' };
  } catch (err) {
    const explained = explainConnectionError(err, tls);
    return { status: 'FAILED', message: `${step}: ${explained ?? errorMessage(err)}` };
  } finally {
    if (created) {
      await client.execute(`DROP TABLE IF EXISTS ${qualified(keyspace, table)}`).catch((err: unknown) => {
        ctx.logger.warn(`check: could not drop ${keyspace}.${table}: ${errorMessage(err)}`);
      });
    }
    await client.shutdown().catch(() => undefined);
  }
}
