import { provisionClasspath } from './provision.js';
import { compileLoopbackWrapper } from './servers/dynamodb.js';
import { kinesisLocalDir } from './servers/kinesis.js';
import { findJava } from './toolchain.js';
import type { ServerName } from './types.js';
import { CASSANDRA_CLASSPATH, DYNAMODB_CLASSPATH, KAFKA_CLASSPATH } from './versions.js';

export interface ServerProvision {
  name: ServerName;
  /** true when nothing had to be downloaded or compiled (Maven did not run). */
  cached: boolean;
  durationMs: number;
  /** Where the server's code lives (the jar folder, or the npm package). */
  location: string;
}

/**
 * Makes sure everything a server needs is on disk (jars resolved, wrapper compiled) without starting it.
 * Start functions do this themselves; calling it ahead (CI warm-up, `pnpm servers provision`) moves the
 * download out of the first test's time budget.
 */
export async function provisionServer(name: ServerName): Promise<ServerProvision> {
  const t0 = Date.now();
  if (name === 'kinesis') {
    // An npm dependency of testkit: pnpm's store is its cache.
    return { name, cached: true, durationMs: Date.now() - t0, location: kinesisLocalDir() };
  }
  const java = findJava();
  const spec = { cassandra: CASSANDRA_CLASSPATH, kafka: KAFKA_CLASSPATH, dynamodb: DYNAMODB_CLASSPATH }[name];
  const jars = await provisionClasspath(spec);
  let cached = jars.cached;
  if (name === 'dynamodb') cached = (await compileLoopbackWrapper(java)).cached && cached;
  return { name, cached, durationMs: Date.now() - t0, location: jars.libDir };
}
