/** The servers this kit can provide. */
export type ServerName = 'cassandra' | 'kafka' | 'dynamodb' | 'kinesis';

export const SERVER_NAMES: readonly ServerName[] = ['cassandra', 'kafka', 'dynamodb', 'kinesis'];

/** Where a server came from: given in the environment, a Docker container, or a local process we started. */
export type ServerSource = 'env' | 'testcontainers' | 'process';

export interface CassandraEndpoint {
  contactPoints: string[];
  port: number;
  localDataCenter: string;
  username?: string;
  password?: string;
  /** Present when the server only accepts TLS; the PEM is the server's self-signed certificate. */
  tls?: { caPem: string; caPath: string };
}

export interface KafkaEndpoint {
  brokers: string[];
}

export interface AwsEndpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface EndpointOf {
  cassandra: CassandraEndpoint;
  kafka: KafkaEndpoint;
  dynamodb: AwsEndpoint;
  kinesis: AwsEndpoint;
}

export interface Server<E> {
  readonly name: ServerName;
  readonly endpoint: E;
  readonly source: ServerSource;
  /** Process id (= process group id) of a local server; absent for env/testcontainers. */
  readonly pid?: number;
  readonly logFile?: string;
  /** Instance directory holding conf/, data/ and logs/ of a local server. */
  readonly dir?: string;
  /** Stops what this harness started; a no-op for env endpoints. Idempotent. */
  stop(): Promise<void>;
}

/** Options every start function takes. */
export interface StartOptions {
  /**
   * How to get the server. 'auto' (default) = env endpoint, else testcontainers when a Docker engine
   * answers, else a local process. Forcing 'process' is what testkit's own tests do.
   */
  source?: 'auto' | 'env' | 'testcontainers' | 'process';
  /** Readiness deadline (ms) for a local process. */
  startTimeoutMs?: number;
  /**
   * Keep the process running after this Node process exits (used by `servers up`). Such servers are
   * never reaped as orphans; only `servers down` (or stop()) ends them.
   */
  detached?: boolean;
}
