import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cassandraClient } from '../clients.js';
import { DEFAULT_LOCAL_DC } from '../env.js';
import { launchServer, newInstance } from '../launch.js';
import { pickFreePort, pickFreePorts } from '../ports.js';
import { probeCassandra } from '../probes.js';
import { provisionClasspath } from '../provision.js';
import { findJava } from '../toolchain.js';
import type { CassandraEndpoint, Server, StartOptions } from '../types.js';
import { CASSANDRA_CLASSPATH } from '../versions.js';
import { CASSANDRA_LOGBACK, cassandraJvmFlags, cassandraYaml } from './cassandra-config.js';
import { commonJvmFlags, libClasspath } from './java-flags.js';
import { makeSelfSignedTls } from './keystore.js';

export interface CassandraOptions extends StartOptions {
  /** PasswordAuthenticator + CassandraAuthorizer, and a superuser role created for the endpoint. */
  auth?: boolean;
  /** Client-to-node TLS with a fresh self-signed certificate (exported as PEM in endpoint.tls). */
  tls?: boolean;
  /** Native (CQL) port; picked free when omitted. */
  port?: number;
  /** -Xms/-Xmx; 1G by default so several servers fit in memory. */
  heap?: string;
  /** Extra JVM arguments, placed before the main class (e.g. JMX: -Dcassandra.jmx.local.port=7199). */
  jvmArgs?: string[];
}

/** The role created on an auth-enabled server (the built-in cassandra/cassandra superuser stays). */
export const CASSANDRA_TEST_USER = 'tributary';
const DEFAULT_SUPERUSER = { username: 'cassandra', password: 'cassandra' };

export function cassandraVariant(opts: { auth?: boolean; tls?: boolean }): string | undefined {
  return [opts.auth ? 'auth' : '', opts.tls ? 'tls' : ''].filter(Boolean).join('-') || undefined;
}

/** Starts Cassandra 5.0 from the Maven jars as a local JVM process on 127.0.0.1. */
export async function startCassandraProcess(opts: CassandraOptions = {}): Promise<Server<CassandraEndpoint>> {
  const java = findJava();
  const { libDir } = await provisionClasspath(CASSANDRA_CLASSPATH);
  const instance = await newInstance('cassandra', cassandraVariant(opts));
  const [storagePort, nativePort] =
    opts.port !== undefined
      ? [await pickFreePort(), opts.port]
      : ((await pickFreePorts(2)) as [number, number]);
  if (storagePort === undefined || nativePort === undefined) throw new Error('could not pick ports');

  const tls = opts.tls ? await makeSelfSignedTls(java, instance.confDir) : undefined;
  const yamlPath = join(instance.confDir, 'cassandra.yaml');
  const logbackPath = join(instance.confDir, 'logback.xml');
  await writeFile(
    yamlPath,
    cassandraYaml({
      dataDir: instance.dataDir,
      storagePort,
      nativePort,
      auth: !!opts.auth,
      ...(tls ? { tls } : {}),
    }),
  );
  await writeFile(logbackPath, CASSANDRA_LOGBACK);

  const jamm = readdirSync(libDir).find((f) => /^jamm-.*\.jar$/.test(f));
  const args = [
    ...cassandraJvmFlags(java.major, opts.heap ?? '1G'),
    ...commonJvmFlags(instance),
    // Same as the stock launcher: jamm measures object sizes for memtable accounting.
    ...(jamm ? [`-javaagent:${join(libDir, jamm)}`] : []),
    `-Dcassandra.config=${pathToFileURL(yamlPath).href}`, // must be a URL, a plain path is rejected
    `-Dlogback.configurationFile=${logbackPath}`,
    // Without this Cassandra closes stdout/stderr after start and the log file stays empty.
    '-Dcassandra-foreground=yes',
    `-Dcassandra.storagedir=${instance.dataDir}`,
    `-Dcassandra.logdir=${join(instance.dir, 'logs')}`,
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    // No fsync of system tables: a large part of the first-start time on a slow disk.
    '-Dcassandra.unsafesystem=true',
    '-Dcassandra.superuser_setup_delay_ms=0',
    // Single node: nobody listens for the 2 s shutdown announcement.
    '-Dcassandra.shutdown_announce_in_ms=0',
    ...(opts.jvmArgs ?? []),
    '-cp',
    `${instance.confDir}:${libClasspath(libDir)}`,
    'org.apache.cassandra.service.CassandraDaemon',
  ];

  const endpoint: CassandraEndpoint = {
    contactPoints: ['127.0.0.1'],
    port: nativePort,
    localDataCenter: DEFAULT_LOCAL_DC,
    ...(tls ? { tls: { caPem: tls.caPem, caPath: tls.caPath } } : {}),
  };
  const admin: CassandraEndpoint = opts.auth ? { ...endpoint, ...DEFAULT_SUPERUSER } : endpoint;

  return launchServer({
    name: 'cassandra',
    ...(cassandraVariant(opts) ? { variant: cassandraVariant(opts) } : {}),
    instance,
    command: java.java,
    args,
    ports: [storagePort, nativePort],
    endpoint,
    // With auth the probe logs in as the built-in superuser, which also proves that role exists.
    probe: () => probeCassandra(admin),
    timeoutMs: opts.startTimeoutMs ?? 180_000,
    detached: !!opts.detached,
    graceMs: 15_000,
    afterReady: opts.auth ? () => createTestRole(admin) : undefined,
  });
}

async function createTestRole(admin: CassandraEndpoint): Promise<CassandraEndpoint> {
  const password = randomBytes(12).toString('hex');
  const client = cassandraClient(admin);
  try {
    await client.execute(
      `CREATE ROLE IF NOT EXISTS ${CASSANDRA_TEST_USER} WITH PASSWORD = '${password}' AND LOGIN = true AND SUPERUSER = true`,
    );
  } finally {
    await client.shutdown();
  }
  const { username: _u, password: _p, ...rest } = admin;
  return { ...rest, username: CASSANDRA_TEST_USER, password };
}
