import { readFileSync } from 'node:fs';
import type { AwsEndpoint, CassandraEndpoint, EndpointOf, KafkaEndpoint, ServerName } from './types.js';

/**
 * Environment variables that name a running server. When set, start functions use that server and start
 * nothing; `envFor()` produces them so that child processes (jest workers, package test runs) reuse the
 * servers a parent started.
 */
export const ENV = {
  cassandra: {
    contactPoints: 'CASSANDRA_CONTACT_POINTS',
    port: 'CASSANDRA_PORT',
    localDataCenter: 'CASSANDRA_LOCAL_DC',
    username: 'CASSANDRA_USERNAME',
    password: 'CASSANDRA_PASSWORD',
    /** PEM file of the CA (here: the server's self-signed certificate); set only for a TLS server. */
    tlsCaPath: 'CASSANDRA_TLS_CA_PATH',
  },
  kafka: { brokers: 'KAFKA_BOOTSTRAP_SERVERS' },
  dynamodb: { endpoint: 'DYNAMODB_ENDPOINT' },
  kinesis: { endpoint: 'KINESIS_ENDPOINT' },
} as const;

export const DEFAULT_CASSANDRA_PORT = 9042;
export const DEFAULT_LOCAL_DC = 'datacenter1';
export const DEFAULT_REGION = 'us-east-1';
/** Dummy credentials for the emulators; DynamoDB Local wants letters and digits only. */
export const DUMMY_ACCESS_KEY_ID = 'tributary';
export const DUMMY_SECRET_ACCESS_KEY = 'tributary';

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 65_535)
    throw new Error(`${name} must be a port number, got "${value}"`);
  return n;
}

function awsFromEnv(variable: string, env: NodeJS.ProcessEnv): AwsEndpoint | undefined {
  const endpoint = env[variable]?.trim();
  if (!endpoint) return undefined;
  if (!/^https?:\/\//.test(endpoint))
    throw new Error(`${variable} must be an http(s) URL, got "${endpoint}"`);
  return {
    endpoint,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION,
    accessKeyId: env.AWS_ACCESS_KEY_ID || DUMMY_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || DUMMY_SECRET_ACCESS_KEY,
  };
}

/** The endpoint of `name` described by the environment, or undefined when its variable is not set. */
export function endpointFromEnv<N extends ServerName>(
  name: N,
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): EndpointOf[N] | undefined {
  switch (name) {
    case 'cassandra': {
      const v = ENV.cassandra;
      const contactPoints = list(env[v.contactPoints]);
      if (contactPoints.length === 0) return undefined;
      const e: CassandraEndpoint = {
        contactPoints,
        port: positiveInt(v.port, env[v.port], DEFAULT_CASSANDRA_PORT),
        localDataCenter: env[v.localDataCenter] || DEFAULT_LOCAL_DC,
      };
      if (env[v.username]) {
        e.username = env[v.username];
        e.password = env[v.password] ?? '';
      }
      const caPath = env[v.tlsCaPath];
      if (caPath) e.tls = { caPath, caPem: readFile(caPath) };
      return e as EndpointOf[N];
    }
    case 'kafka': {
      const brokers = list(env[ENV.kafka.brokers]);
      return (brokers.length ? ({ brokers } satisfies KafkaEndpoint) : undefined) as
        | EndpointOf[N]
        | undefined;
    }
    case 'dynamodb':
      return awsFromEnv(ENV.dynamodb.endpoint, env) as EndpointOf[N] | undefined;
    case 'kinesis':
      return awsFromEnv(ENV.kinesis.endpoint, env) as EndpointOf[N] | undefined;
    default:
      throw new Error(`unknown server ${String(name)}`);
  }
}

/** Environment variables describing one endpoint (the inverse of endpointFromEnv). */
export function envForEndpoint<N extends ServerName>(
  name: N,
  endpoint: EndpointOf[N],
): Record<string, string> {
  switch (name) {
    case 'cassandra': {
      const e = endpoint as CassandraEndpoint;
      const v = ENV.cassandra;
      const out: Record<string, string> = {
        [v.contactPoints]: e.contactPoints.join(','),
        [v.port]: String(e.port),
        [v.localDataCenter]: e.localDataCenter,
      };
      if (e.username !== undefined) {
        out[v.username] = e.username;
        out[v.password] = e.password ?? '';
      }
      if (e.tls) out[v.tlsCaPath] = e.tls.caPath;
      return out;
    }
    case 'kafka':
      return { [ENV.kafka.brokers]: (endpoint as KafkaEndpoint).brokers.join(',') };
    case 'dynamodb':
      return { [ENV.dynamodb.endpoint]: (endpoint as AwsEndpoint).endpoint };
    case 'kinesis':
      return { [ENV.kinesis.endpoint]: (endpoint as AwsEndpoint).endpoint };
    default:
      throw new Error(`unknown server ${String(name)}`);
  }
}

/** Environment variables for several servers, e.g. `Object.assign(process.env, envFor(servers))`. */
export function envFor(servers: Iterable<{ name: ServerName; endpoint: unknown }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of servers)
    Object.assign(out, envForEndpoint(s.name, s.endpoint as EndpointOf[typeof s.name]));
  return out;
}

/** Every variable any server may be described by (to clear them, or to list them in docs). */
export function allEnvNames(): string[] {
  return Object.values(ENV).flatMap((group) => Object.values(group));
}

/** Shell lines `export NAME='value'` (single-quoted, safe for eval). */
export function exportLines(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}

/**
 * The endpoint a test needs, from the environment the jest global setup fills; a clear error
 * naming the variables when it is missing (a test file run without the testkit preset).
 */
export function requireEndpoint<N extends ServerName>(name: N): EndpointOf[N] {
  const e = endpointFromEnv(name);
  if (!e) {
    const vars = Object.values(ENV[name]).join(', ');
    throw new Error(
      `no ${name} endpoint: run through the testkit jest preset (its global setup starts one) or set ${vars}`,
    );
  }
  return e;
}
