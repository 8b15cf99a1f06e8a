import { isIP } from 'node:net';
import { ConfigError } from '@tributary/airbyte-protocol';
import cassandra from 'cassandra-driver';
import type { CqlConfig } from './config.js';
import { toTributaryError } from './errors.js';

export interface HostPort {
  readonly host: string;
  /** Absent when the entry named no port: the config's `port` applies. */
  readonly port?: number;
}

/**
 * Parses `address`: a comma-separated list of hosts, each `host`, `host:port`, `[v6]`, `[v6]:port`
 * or a bare IPv6 address. Throws a ConfigError naming the bad entry.
 */
export function parseAddress(address: string): HostPort[] {
  const entries = address
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0)
    throw new ConfigError('address: give at least one host (e.g. "10.0.0.1,10.0.0.2")');
  return entries.map((entry) => {
    let host = entry;
    let port: string | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracket) {
      host = bracket[1]!;
      port = bracket[2];
    } else if (isIP(entry) !== 6) {
      const m = /^([^:]+):(\d+)$/.exec(entry);
      if (m) {
        host = m[1]!;
        port = m[2];
      } else if (entry.includes(':')) {
        throw new ConfigError(`address: cannot read "${entry}"; use host or host:port, and [ipv6]:port`);
      }
    }
    if (/\s|\/|@/.test(host)) throw new ConfigError(`address: "${entry}" is not a host name or IP address`);
    if (port === undefined) return { host };
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new ConfigError(`address: bad port in "${entry}"`);
    return { host, port: n };
  });
}

/** Contact points as the driver takes them (`host:port`, IPv6 in brackets). */
export function contactPoints(config: Pick<CqlConfig, 'address' | 'port'>): string[] {
  return parseAddress(config.address).map(({ host, port }) => {
    const p = port ?? config.port;
    return isIP(host) === 6 ? `[${host}]:${p}` : `${host}:${p}`;
  });
}

/** The driver's TLS options from the config; undefined when TLS is off. */
export function sslOptions(config: CqlConfig): cassandra.ClientOptions['sslOptions'] | undefined {
  const tls = config.tls;
  if (!tls?.enabled) return undefined;
  const options: NonNullable<cassandra.ClientOptions['sslOptions']> = {
    // The driver's default is rejectUnauthorized: false; a certificate is always verified here.
    rejectUnauthorized: true,
  };
  if (tls.ca_certificate) options.ca = [tls.ca_certificate];
  if (tls.client_certificate) options.cert = tls.client_certificate;
  if (tls.client_key) options.key = tls.client_key;
  if (tls.client_certificate && !tls.client_key) {
    throw new ConfigError('tls.client_certificate is set but tls.client_key is empty; give both or neither');
  }
  if (tls.verify_hostname === false) options.checkServerIdentity = () => undefined;
  return options;
}

export interface ClientOptionsInput {
  readonly config: CqlConfig;
  /** The local data centre to route to (config value or detected). */
  readonly localDataCenter: string;
  /** Extra driver options (tests, bench). */
  readonly extra?: Partial<cassandra.ClientOptions>;
}

/** Driver options: contact points, local DC, credentials, TLS, timeouts and consistency. */
export function clientOptions({
  config,
  localDataCenter,
  extra,
}: ClientOptionsInput): cassandra.ClientOptions {
  const consistency = consistencyOf(config.consistency);
  const options: cassandra.ClientOptions = {
    contactPoints: contactPoints(config),
    localDataCenter,
    protocolOptions: { port: config.port },
    // Token-aware routing over DC-aware round robin (the driver's default policy, named here).
    policies: {
      loadBalancing: new cassandra.policies.loadBalancing.TokenAwarePolicy(
        new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy(localDataCenter),
      ),
    },
    queryOptions: { consistency, prepare: true, isIdempotent: true },
    socketOptions: {
      readTimeout: config.request_timeout_ms,
      connectTimeout: Math.min(config.request_timeout_ms, 10_000),
    },
    pooling: { maxRequestsPerConnection: 2048 },
    ...extra,
  };
  if (config.username) {
    options.credentials = { username: config.username, password: config.password ?? '' };
  }
  const ssl = sslOptions(config);
  if (ssl) options.sslOptions = ssl;
  return options;
}

export const CONSISTENCY_LEVELS = [
  'ANY',
  'ONE',
  'TWO',
  'THREE',
  'QUORUM',
  'ALL',
  'LOCAL_QUORUM',
  'EACH_QUORUM',
  'LOCAL_ONE',
] as const;
export type ConsistencyName = (typeof CONSISTENCY_LEVELS)[number];

const DRIVER_CONSISTENCY: Record<ConsistencyName, number> = {
  ANY: cassandra.types.consistencies.any,
  ONE: cassandra.types.consistencies.one,
  TWO: cassandra.types.consistencies.two,
  THREE: cassandra.types.consistencies.three,
  QUORUM: cassandra.types.consistencies.quorum,
  ALL: cassandra.types.consistencies.all,
  LOCAL_QUORUM: cassandra.types.consistencies.localQuorum,
  EACH_QUORUM: cassandra.types.consistencies.eachQuorum,
  LOCAL_ONE: cassandra.types.consistencies.localOne,
};

export function consistencyOf(name: ConsistencyName): number {
  return DRIVER_CONSISTENCY[name];
}

/**
 * Learns the data centre of the first reachable contact point from its `system.local` row, for
 * configs (Scylla's upstream spec) that name none. A short-lived connection with no DC filter.
 */
export async function detectDataCenter(config: CqlConfig): Promise<string> {
  const probe = new cassandra.Client({
    ...clientOptions({ config, localDataCenter: 'unknown' }),
    // Any host will do for one query; no DC-aware policy, so no warning about the unknown DC.
    policies: { loadBalancing: new cassandra.policies.loadBalancing.RoundRobinPolicy() },
    localDataCenter: undefined,
    pooling: { coreConnectionsPerHost: { 0: 1, 1: 0, 2: 0 } },
  } as cassandra.ClientOptions);
  try {
    const rs = await probe.execute('SELECT data_center FROM system.local', [], { prepare: false });
    const dc = rs.first()?.get('data_center');
    if (typeof dc !== 'string' || dc === '') {
      throw new ConfigError(
        'could not detect the data centre from system.local; set datacenter in the config',
      );
    }
    return dc;
  } catch (err) {
    throw toTributaryError(err, 'connecting to detect the data centre', { tls: !!config.tls?.enabled });
  } finally {
    await probe.shutdown().catch(() => undefined);
  }
}

/** Connects a client for the config (detecting the data centre when the config has none). */
export async function connect(
  config: CqlConfig,
  extra?: Partial<cassandra.ClientOptions>,
): Promise<{ client: cassandra.Client; localDataCenter: string }> {
  const localDataCenter = config.datacenter || (await detectDataCenter(config));
  const client = new cassandra.Client(
    clientOptions({ config, localDataCenter, ...(extra ? { extra } : {}) }),
  );
  try {
    await client.connect();
  } catch (err) {
    await client.shutdown().catch(() => undefined);
    throw toTributaryError(err, `connecting to ${contactPoints(config).join(', ')}`, {
      tls: !!config.tls?.enabled,
    });
  }
  return { client, localDataCenter };
}
