import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { cassandraClient, dynamoDbClient, kafkaClient, kinesisClient } from './clients.js';
import { isPortOpen } from './ports.js';
import type { AwsEndpoint, CassandraEndpoint, EndpointOf, KafkaEndpoint, ServerName } from './types.js';

/**
 * One readiness attempt per call, each on the server's real protocol, each bounded in time. They resolve
 * true when the server answered and false (or throw) when it did not yet.
 */

function hostPort(hostAndPort: string): { host: string; port: number } {
  const i = hostAndPort.lastIndexOf(':');
  return { host: hostAndPort.slice(0, i), port: Number(hostAndPort.slice(i + 1)) };
}

/** `SELECT release_version FROM system.local` with cassandra-driver. */
export async function probeCassandra(endpoint: CassandraEndpoint): Promise<boolean> {
  const host = endpoint.contactPoints[0] ?? '127.0.0.1';
  // Cheap TCP check first: the driver takes far longer to fail against a closed port.
  if (!(await isPortOpen(endpoint.port, host))) return false;
  const client = cassandraClient(endpoint, {
    socketOptions: { connectTimeout: 3_000, readTimeout: 5_000 },
    pooling: { warmup: false },
  });
  try {
    const rs = await client.execute('SELECT release_version FROM system.local');
    return typeof rs.first()?.release_version === 'string';
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

/** A Kafka metadata request: kafkajs admin describeCluster. */
export async function probeKafka(endpoint: KafkaEndpoint): Promise<boolean> {
  const first = endpoint.brokers[0];
  if (!first) return false;
  const { host, port } = hostPort(first);
  if (!(await isPortOpen(port, host))) return false;
  const admin = kafkaClient(endpoint, {
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller >= 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const quickHandler = () => new NodeHttpHandler({ connectionTimeout: 1_000, requestTimeout: 3_000 });

/** DynamoDB `ListTables`. */
export async function probeDynamoDb(endpoint: AwsEndpoint): Promise<boolean> {
  const client = dynamoDbClient(endpoint, { maxAttempts: 1, requestHandler: quickHandler() });
  try {
    const out = await client.send(new ListTablesCommand({ Limit: 1 }));
    return Array.isArray(out.TableNames);
  } finally {
    client.destroy();
  }
}

/** Kinesis `ListStreams`. */
export async function probeKinesis(endpoint: AwsEndpoint): Promise<boolean> {
  const client = kinesisClient(endpoint, { maxAttempts: 1, requestHandler: quickHandler() });
  try {
    const out = await client.send(new ListStreamsCommand({ Limit: 1 }));
    return Array.isArray(out.StreamNames);
  } finally {
    client.destroy();
  }
}

/** One readiness request to any server (e.g. to check an endpoint given in the environment). */
export function probeServer<N extends ServerName>(name: N, endpoint: EndpointOf[N]): Promise<boolean> {
  const probes: { [K in ServerName]: (e: EndpointOf[K]) => Promise<boolean> } = {
    cassandra: probeCassandra,
    kafka: probeKafka,
    dynamodb: probeDynamoDb,
    kinesis: probeKinesis,
  };
  return (probes[name] as (e: EndpointOf[N]) => Promise<boolean>)(endpoint);
}
