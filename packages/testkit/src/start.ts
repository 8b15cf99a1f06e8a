import { ServerStartError } from './errors.js';
import { dockerAnswers } from './docker.js';
import { ENV, endpointFromEnv } from './env.js';
import { type CassandraOptions, cassandraVariant, startCassandraProcess } from './servers/cassandra.js';
import { type DynamoDbOptions, startDynamoDbProcess } from './servers/dynamodb.js';
import { type KafkaOptions, startKafkaProcess } from './servers/kafka.js';
import { type KinesisOptions, startKinesisProcess } from './servers/kinesis.js';
import type {
  AwsEndpoint,
  CassandraEndpoint,
  EndpointOf,
  KafkaEndpoint,
  Server,
  ServerName,
  StartOptions,
} from './types.js';

export type { CassandraOptions, DynamoDbOptions, KafkaOptions, KinesisOptions };

/** A server described by environment variables: used as is, never stopped by us. */
export function envServer<N extends ServerName>(name: N, endpoint: EndpointOf[N]): Server<EndpointOf[N]> {
  return { name, endpoint, source: 'env', stop: async () => undefined };
}

/** The source to use: the option, else TRIBUTARY_SERVER_SOURCE, else 'auto'. */
function sourceOf(opts: StartOptions): NonNullable<StartOptions['source']> {
  const fromEnv = process.env.TRIBUTARY_SERVER_SOURCE;
  const value = opts.source ?? (fromEnv as StartOptions['source']) ?? 'auto';
  if (!['auto', 'env', 'testcontainers', 'process'].includes(value)) {
    throw new Error(`TRIBUTARY_SERVER_SOURCE must be auto, env, testcontainers or process, got "${value}"`);
  }
  return value;
}

/**
 * Resolution order: (a) an endpoint in the environment, (b) testcontainers when a Docker engine answers,
 * (c) a local process. `fits` says whether an env endpoint offers what the caller asked for (e.g. auth);
 * `container` is absent for variants that only run as processes.
 */
async function resolve<N extends ServerName>(
  name: N,
  opts: StartOptions,
  fits: (e: EndpointOf[N]) => boolean,
  container: (() => Promise<Server<EndpointOf[N]>>) | undefined,
  processStart: () => Promise<Server<EndpointOf[N]>>,
): Promise<Server<EndpointOf[N]>> {
  const source = sourceOf(opts);
  if (source === 'auto' || source === 'env') {
    const fromEnv = endpointFromEnv(name);
    if (fromEnv && fits(fromEnv)) return envServer(name, fromEnv);
    if (source === 'env') {
      const vars = Object.values(ENV[name]).join(', ');
      throw new Error(`no ${name} endpoint in the environment (${vars}) that fits the request`);
    }
  }
  if (
    container &&
    (source === 'testcontainers' || (source === 'auto' && !opts.detached && (await dockerAnswers())))
  ) {
    return container();
  }
  if (source === 'testcontainers') throw new Error(`${name}: this variant has no testcontainers recipe`);
  // Explicit ports and deadlines are the caller's choice: a failure with them is the answer.
  const chosen = (opts as { port?: number }).port !== undefined || opts.startTimeoutMs !== undefined;
  return chosen ? processStart() : retryOnce(name, processStart);
}

/**
 * A local start gets a second chance: on a shared machine a port can be taken between picking and
 * binding, or a JVM can miss its readiness deadline once. The first failure is reported, not hidden.
 */
export async function retryOnce<T>(name: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (first) {
    // A missing JDK or a taken port will not fix themselves.
    if (!(first instanceof ServerStartError)) throw first;
    const reason = first instanceof Error ? first.message : String(first);
    process.stderr.write(`[testkit] ${name}: start failed (${reason.split('\n')[0]}); trying once more\n`);
    return start();
  }
}

async function containers() {
  return import('./containers.js');
}

/** Cassandra 5.0 (one node, 127.0.0.1). `auth`/`tls` variants are separate servers with their own ports. */
export function startCassandra(opts: CassandraOptions = {}): Promise<Server<CassandraEndpoint>> {
  const plain = !cassandraVariant(opts) && opts.port === undefined;
  return resolve(
    'cassandra',
    opts,
    (e) => (!opts.auth || e.username !== undefined) && (!opts.tls || e.tls !== undefined),
    plain ? async () => (await containers()).startCassandraContainer() : undefined,
    () => startCassandraProcess(opts),
  );
}

/** Kafka (KRaft, one combined broker+controller). */
export function startKafka(opts: KafkaOptions = {}): Promise<Server<KafkaEndpoint>> {
  return resolve(
    'kafka',
    opts,
    () => true,
    opts.port === undefined ? async () => (await containers()).startKafkaContainer() : undefined,
    () => startKafkaProcess(opts),
  );
}

/** DynamoDB Local (in memory). */
export function startDynamoDb(opts: DynamoDbOptions = {}): Promise<Server<AwsEndpoint>> {
  return resolve(
    'dynamodb',
    opts,
    () => true,
    opts.port === undefined ? async () => (await containers()).startDynamoDbContainer() : undefined,
    () => startDynamoDbProcess(opts),
  );
}

/** The Kinesis emulator (kinesis-local = kinesis-mock). */
export function startKinesis(opts: KinesisOptions = {}): Promise<Server<AwsEndpoint>> {
  return resolve(
    'kinesis',
    opts,
    () => true,
    opts.port === undefined ? async () => (await containers()).startKinesisContainer() : undefined,
    () => startKinesisProcess(opts),
  );
}

/** Starts one server by name with default options. */
export function startServer<N extends ServerName>(
  name: N,
  opts: StartOptions = {},
): Promise<Server<EndpointOf[N]>> {
  const starters: { [K in ServerName]: (o: StartOptions) => Promise<Server<EndpointOf[K]>> } = {
    cassandra: startCassandra,
    kafka: startKafka,
    dynamodb: startDynamoDb,
    kinesis: startKinesis,
  };
  return starters[name](opts) as Promise<Server<EndpointOf[N]>>;
}

/**
 * Starts several servers. Java servers start one after another (2 cores: parallel JVM start-ups mostly
 * slow each other down); the Node emulator starts alongside. If one fails, the others are stopped.
 */
export async function startServers(
  names: readonly ServerName[],
  opts: StartOptions = {},
): Promise<Server<unknown>[]> {
  const unique = [...new Set(names)];
  const started: Server<unknown>[] = [];
  const node = unique.includes('kinesis')
    ? startServer('kinesis', opts).then(
        (server) => ({ server }),
        (error: unknown) => ({ error }),
      )
    : undefined;
  let failure: { error: unknown } | undefined;
  for (const name of unique) {
    if (name === 'kinesis') continue;
    try {
      started.push(await startServer(name, opts));
    } catch (error) {
      failure = { error };
      break;
    }
  }
  const nodeResult = await node;
  if (nodeResult && 'server' in nodeResult) started.push(nodeResult.server);
  else if (nodeResult && !failure) failure = nodeResult;
  if (failure) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw failure.error;
  }
  return unique.map((n) => started.find((s) => s.name === n)).filter((s): s is Server<unknown> => !!s);
}
