import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import cassandra from 'cassandra-driver';
import type { ClientOptions } from 'cassandra-driver';
import kafkajs from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import type { AwsEndpoint, CassandraEndpoint, KafkaEndpoint } from './types.js';

/** cassandra-driver options for an endpoint (contact points, DC, credentials, TLS with the exported CA). */
export function cassandraClientOptions(
  endpoint: CassandraEndpoint,
  extra: Partial<ClientOptions> = {},
): ClientOptions {
  const options: ClientOptions = {
    contactPoints: endpoint.contactPoints,
    localDataCenter: endpoint.localDataCenter,
    protocolOptions: { port: endpoint.port },
    ...extra,
  };
  if (endpoint.username !== undefined && !extra.credentials && !extra.authProvider) {
    options.credentials = { username: endpoint.username, password: endpoint.password ?? '' };
  }
  if (endpoint.tls && !extra.sslOptions) {
    // The driver defaults to rejectUnauthorized: false; verify against the exported certificate instead.
    options.sslOptions = { ca: [endpoint.tls.caPem], rejectUnauthorized: true };
  }
  return options;
}

/** A cassandra-driver Client for the endpoint (not yet connected; call connect() or just execute()). */
export function cassandraClient(
  endpoint: CassandraEndpoint,
  extra: Partial<ClientOptions> = {},
): cassandra.Client {
  return new cassandra.Client(cassandraClientOptions(endpoint, extra));
}

function awsConfig(endpoint: AwsEndpoint) {
  return {
    endpoint: endpoint.endpoint,
    region: endpoint.region,
    credentials: { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey },
    // HTTP/1.1: the Kinesis client defaults to an HTTP/2 handler, which hangs or fails against emulators.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
  };
}

export function dynamoDbClient(
  endpoint: AwsEndpoint,
  extra: Partial<DynamoDBClientConfig> = {},
): DynamoDBClient {
  return new DynamoDBClient({ ...awsConfig(endpoint), ...extra });
}

export function kinesisClient(
  endpoint: AwsEndpoint,
  extra: Partial<KinesisClientConfig> = {},
): KinesisClient {
  return new KinesisClient({ ...awsConfig(endpoint), ...extra });
}

/** A kafkajs client for the endpoint (kafkajs' own logging is silenced unless `extra.logLevel` says otherwise). */
export function kafkaClient(endpoint: KafkaEndpoint, extra: Partial<KafkaConfig> = {}): kafkajs.Kafka {
  return new kafkajs.Kafka({
    clientId: 'tributary-testkit',
    brokers: endpoint.brokers,
    logLevel: kafkajs.logLevel.NOTHING,
    ...extra,
  });
}
