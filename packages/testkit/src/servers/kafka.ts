import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ServerStartError } from '../errors.js';
import { launchServer, newInstance } from '../launch.js';
import { tailFile } from '../log-tail.js';
import { assertPortFree, pickFreePort, pickFreePorts } from '../ports.js';
import { probeKafka } from '../probes.js';
import { provisionClasspath, runLogged } from '../provision.js';
import { findJava } from '../toolchain.js';
import type { KafkaEndpoint, Server, StartOptions } from '../types.js';
import { KAFKA_CLASSPATH } from '../versions.js';
import { commonJvmFlags, libClasspath } from './java-flags.js';

export interface KafkaOptions extends StartOptions {
  /** Broker (PLAINTEXT) port; picked free when omitted. */
  port?: number;
  heap?: string;
}

/** server.properties for one combined broker+controller in KRaft mode, on 127.0.0.1 only. */
export function kafkaServerProperties(c: {
  brokerPort: number;
  controllerPort: number;
  logDir: string;
}): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    // Static voters work on 3.9 and 4.x alike and need no --standalone at format time.
    `controller.quorum.voters=1@127.0.0.1:${c.controllerPort}`,
    'controller.listener.names=CONTROLLER',
    `listeners=PLAINTEXT://127.0.0.1:${c.brokerPort},CONTROLLER://127.0.0.1:${c.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${c.brokerPort}`,
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${c.logDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    // A single-broker test cluster: few internal partitions make the first consumer group fast.
    'offsets.topic.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=5',
    'group.initial.rebalance.delay.ms=0',
    'log.flush.interval.messages=9223372036854775807',
  ].join('\n')}\n`;
}

export const KAFKA_LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
`;

/**
 * A KRaft cluster id: 16 random bytes as URL-safe base64 without padding (22 chars), as Kafka's Uuid.
 * Like Kafka's own Uuid.randomUuid, an id starting with '-' is drawn again: the storage tool's
 * argument parser would read it as an option (`--cluster-id: expected one argument`).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Starts Kafka (KRaft, combined broker+controller) from the Maven jars as a local JVM process. */
export async function startKafkaProcess(opts: KafkaOptions = {}): Promise<Server<KafkaEndpoint>> {
  const java = findJava();
  const { libDir } = await provisionClasspath(KAFKA_CLASSPATH);
  const instance = await newInstance('kafka');
  const [brokerPort, controllerPort] =
    opts.port !== undefined
      ? [opts.port, await pickFreePort()]
      : ((await pickFreePorts(2)) as [number, number]);
  if (brokerPort === undefined || controllerPort === undefined) throw new Error('could not pick ports');

  // Checked again at launch; checking now spares the storage format (a JVM start) on a clash.
  for (const port of [brokerPort, controllerPort]) await assertPortFree(port);

  const propsPath = join(instance.confDir, 'server.properties');
  const log4jPath = join(instance.confDir, 'log4j.properties');
  await writeFile(
    propsPath,
    kafkaServerProperties({ brokerPort, controllerPort, logDir: join(instance.dataDir, 'kraft') }),
  );
  await writeFile(log4jPath, KAFKA_LOG4J);
  const jvm = [
    ...commonJvmFlags(instance),
    `-Dlog4j.configuration=file:${log4jPath}`,
    `-Dkafka.logs.dir=${join(instance.dir, 'logs')}`,
    '-cp',
    libClasspath(libDir),
  ];

  // A KRaft node refuses to start until its log dir is formatted with a cluster id.
  const formatted = await runLogged(
    java.java,
    [
      ...jvm,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      newClusterId(),
      '-c',
      propsPath,
      '--ignore-formatted',
    ],
    instance.logFile,
  );
  if (formatted !== 0) {
    throw new ServerStartError(
      `kafka storage format failed (exit ${formatted}) [log: ${instance.logFile}]`,
      instance.logFile,
      tailFile(instance.logFile, 40),
    );
  }

  const heap = opts.heap ?? '512m';
  const endpoint: KafkaEndpoint = { brokers: [`127.0.0.1:${brokerPort}`] };
  return launchServer({
    name: 'kafka',
    instance,
    command: java.java,
    args: [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      // Flags of the stock bin/kafka-run-class.sh.
      '-server',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-XX:MaxInlineLevel=15',
      ...jvm,
      'kafka.Kafka',
      propsPath,
    ],
    ports: [brokerPort, controllerPort],
    endpoint,
    probe: () => probeKafka(endpoint),
    timeoutMs: opts.startTimeoutMs ?? 120_000,
    detached: !!opts.detached,
    graceMs: 10_000,
  });
}
