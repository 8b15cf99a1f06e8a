import { join } from 'node:path';

export interface CassandraConfigInput {
  dataDir: string;
  storagePort: number;
  nativePort: number;
  auth: boolean;
  tls?: { keystore: string; truststore: string; password: string };
}

/**
 * A minimal single-node cassandra.yaml bound to 127.0.0.1. Each key exists in 5.0's Config; anything
 * omitted keeps Cassandra's default.
 */
export function cassandraYaml(c: CassandraConfigInput): string {
  const d = (sub: string) => JSON.stringify(join(c.dataDir, sub));
  const lines = [
    'cluster_name: tributary-test',
    // One token and no bootstrap: the node owns the whole ring at once.
    'num_tokens: 1',
    'initial_token: 0',
    'auto_bootstrap: false',
    'partitioner: org.apache.cassandra.dht.Murmur3Partitioner',
    'endpoint_snitch: SimpleSnitch',
    'listen_address: 127.0.0.1',
    'rpc_address: 127.0.0.1',
    `storage_port: ${c.storagePort}`,
    `native_transport_port: ${c.nativePort}`,
    'start_native_transport: true',
    'seed_provider:',
    '  - class_name: org.apache.cassandra.locator.SimpleSeedProvider',
    '    parameters:',
    `      - seeds: "127.0.0.1:${c.storagePort}"`,
    'commitlog_sync: periodic',
    'commitlog_sync_period: 10000ms',
    // "legacy" (buffered) I/O: direct I/O trips a kernel-bug startup check and does not work on tmpfs.
    'commitlog_disk_access_mode: legacy',
    `data_file_directories: [${d('data')}]`,
    `commitlog_directory: ${d('commitlog')}`,
    `hints_directory: ${d('hints')}`,
    `saved_caches_directory: ${d('saved_caches')}`,
    `cdc_raw_directory: ${d('cdc_raw')}`,
    'memtable_allocation_type: heap_buffers',
    'storage_compatibility_mode: NONE',
    'cdc_enabled: false',
    // Tests drop and recreate keyspaces all the time; snapshots on drop/truncate only cost time and disk.
    'auto_snapshot: false',
    'snapshot_before_compaction: false',
    'concurrent_compactors: 1',
  ];
  if (c.auth) {
    lines.push(
      'authenticator: PasswordAuthenticator',
      'authorizer: CassandraAuthorizer',
      'role_manager: CassandraRoleManager',
    );
  } else {
    lines.push('authenticator: AllowAllAuthenticator', 'authorizer: AllowAllAuthorizer');
  }
  if (c.tls) {
    lines.push(
      'client_encryption_options:',
      '  enabled: true',
      // Not optional: the native port speaks TLS only, so a plaintext client fails fast and clearly.
      '  optional: false',
      `  keystore: ${JSON.stringify(c.tls.keystore)}`,
      `  keystore_password: ${JSON.stringify(c.tls.password)}`,
      `  truststore: ${JSON.stringify(c.tls.truststore)}`,
      `  truststore_password: ${JSON.stringify(c.tls.password)}`,
      '  store_type: PKCS12',
      '  require_client_auth: false',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** logback config: INFO to stdout, which the harness sends to the instance's server.log. */
export const CASSANDRA_LOGBACK = `<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT" /></root>
</configuration>
`;

/**
 * JVM flags for Cassandra 5.0 on JDK 17+: the stock jvm-server.options and jvm17-server.options, minus
 * what slows a test node down (-XX:+AlwaysPreTouch touches the whole heap before start; -ea enables
 * Cassandra's many internal assertions) and minus the heap dump on OOM (we exit instead).
 */
export function cassandraJvmFlags(javaMajor: number, heap: string): string[] {
  const flags = [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-Xss256k',
    '-XX:+UseThreadPriorities',
    '-XX:+UseTLAB',
    '-XX:+ResizeTLAB',
    '-XX:+PerfDisableSharedMem',
    '-Dchronicle.analytics.disable=true',
    '-XX:+UseG1GC',
    '-XX:+ParallelRefProcEnabled',
    '-XX:MaxTenuringThreshold=1',
    '-XX:G1HeapRegionSize=16m',
    '-XX:G1RSetUpdatingPauseTimePercent=5',
    '-XX:MaxGCPauseMillis=300',
    '-XX:InitiatingHeapOccupancyPercent=70',
    '-Djdk.attach.allowAttachSelf=true',
  ];
  const exportsTo = [
    'java.base/jdk.internal.misc',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.management/com.sun.jmx.remote.security',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
    // Added by bin/cassandra.in.sh when running on a JDK (CASSANDRA-19001).
    'jdk.attach/sun.tools.attach',
    'jdk.compiler/com.sun.tools.javac.file',
  ];
  const opens = [
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.lang.reflect',
    'java.base/java.lang',
    'java.base/java.util',
    'java.base/java.nio',
    'jdk.compiler/com.sun.tools.javac',
  ];
  for (const e of exportsTo) flags.push('--add-exports', `${e}=ALL-UNNAMED`);
  for (const o of opens) flags.push('--add-opens', `${o}=ALL-UNNAMED`);
  flags.push(
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dio.netty.allocator.useCacheForAllThreads=true',
    '-Dio.netty.allocator.maxOrder=11',
  );
  // Cassandra installs a SecurityManager at startup; from JDK 18 on that must be allowed explicitly.
  if (javaMajor >= 18) flags.push('-Djava.security.manager=allow');
  return flags;
}
