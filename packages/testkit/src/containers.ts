import { DEFAULT_LOCAL_DC, DEFAULT_REGION, DUMMY_ACCESS_KEY_ID, DUMMY_SECRET_ACCESS_KEY } from './env.js';
import { ServerStartError } from './errors.js';
import { pickFreePort } from './ports.js';
import { probeCassandra, probeDynamoDb, probeKafka, probeKinesis } from './probes.js';
import type {
  AwsEndpoint,
  CassandraEndpoint,
  EndpointOf,
  KafkaEndpoint,
  Server,
  ServerName,
} from './types.js';
import { CASSANDRA_VERSION, DYNAMODB_LOCAL_VERSION, KAFKA_VERSION } from './versions.js';

/**
 * The testcontainers path, used only where a Docker engine answers (never on the CI machine here, which
 * has none). Only the plain variant of each server; Cassandra auth/TLS always run as local processes.
 * 'testcontainers' is imported lazily so that machines without Docker never load it.
 */

interface ContainerRecipe {
  image: string;
  ports: (number | { container: number; host: number })[];
  env?: Record<string, string>;
  command?: string[];
}

async function startContainer<N extends ServerName>(
  name: N,
  recipe: ContainerRecipe,
  toEndpoint: (host: string, mapped: (port: number) => number) => EndpointOf[N],
  probe: (e: EndpointOf[N]) => Promise<boolean>,
  timeoutMs: number,
): Promise<Server<EndpointOf[N]>> {
  const { GenericContainer } = await import('testcontainers');
  let builder = new GenericContainer(recipe.image)
    .withExposedPorts(...recipe.ports)
    .withStartupTimeout(timeoutMs);
  if (recipe.env) builder = builder.withEnvironment(recipe.env);
  if (recipe.command) builder = builder.withCommand(recipe.command);
  const container = await builder.start();
  const host = container.getHost() === 'localhost' ? '127.0.0.1' : container.getHost();
  const endpoint = toEndpoint(host, (p) => container.getMappedPort(p));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe(endpoint).catch(() => false)) break;
    if (Date.now() > deadline) {
      const logs = await container.logs({ tail: 40 }).catch(() => undefined);
      let tail = '';
      if (logs) for await (const chunk of logs) tail += String(chunk);
      await container.stop().catch(() => undefined);
      throw new ServerStartError(
        `${name} container (${recipe.image}) did not become ready`,
        `docker logs`,
        tail,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  let stopped: Promise<void> | undefined;
  return {
    name,
    endpoint,
    source: 'testcontainers',
    stop() {
      stopped ??= container.stop().then(() => undefined);
      return stopped;
    },
  };
}

const aws = (host: string, port: number): AwsEndpoint => ({
  endpoint: `http://${host}:${port}`,
  region: DEFAULT_REGION,
  accessKeyId: DUMMY_ACCESS_KEY_ID,
  secretAccessKey: DUMMY_SECRET_ACCESS_KEY,
});

export function startCassandraContainer(timeoutMs = 240_000): Promise<Server<CassandraEndpoint>> {
  return startContainer(
    'cassandra',
    {
      image: `cassandra:${CASSANDRA_VERSION}`,
      ports: [9042],
      env: {
        JVM_OPTS: '-Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.initial_token=0',
        MAX_HEAP_SIZE: '1024M',
        HEAP_NEWSIZE: '128M',
      },
    },
    (host, mapped) => ({ contactPoints: [host], port: mapped(9042), localDataCenter: DEFAULT_LOCAL_DC }),
    probeCassandra,
    timeoutMs,
  );
}

export async function startKafkaContainer(timeoutMs = 120_000): Promise<Server<KafkaEndpoint>> {
  // Kafka hands clients its advertised address, so the host port must equal the one it advertises.
  const port = await pickFreePort();
  return startContainer(
    'kafka',
    {
      image: `apache/kafka:${KAFKA_VERSION}`,
      ports: [{ container: port, host: port }],
      env: {
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: `PLAINTEXT://:${port},CONTROLLER://:9093`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      },
    },
    () => ({ brokers: [`127.0.0.1:${port}`] }),
    probeKafka,
    timeoutMs,
  );
}

export function startDynamoDbContainer(timeoutMs = 60_000): Promise<Server<AwsEndpoint>> {
  return startContainer(
    'dynamodb',
    {
      image: `amazon/dynamodb-local:${DYNAMODB_LOCAL_VERSION}`,
      ports: [8000],
      command: ['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb', '-disableTelemetry'],
    },
    (host, mapped) => aws(host, mapped(8000)),
    probeDynamoDb,
    timeoutMs,
  );
}

export function startKinesisContainer(timeoutMs = 60_000): Promise<Server<AwsEndpoint>> {
  return startContainer(
    'kinesis',
    { image: 'ghcr.io/etspaceman/kinesis-mock:0.6.2', ports: [4568] },
    (host, mapped) => aws(host, mapped(4568)),
    probeKinesis,
    timeoutMs,
  );
}
