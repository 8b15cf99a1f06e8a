import { envFor } from './env.js';
import { startServers } from './start.js';
import { SERVER_NAMES, type Server, type ServerName, type StartOptions } from './types.js';

export interface SuiteServers {
  servers: Server<unknown>[];
  /** Variables describing every server (set them on child processes so they reuse the servers). */
  env: Record<string, string>;
  /** Stops what was started here; endpoints taken from the environment are left alone. */
  stop(): Promise<void>;
}

/**
 * For the root test script, benchmarks and the main job: every server (or the named ones) once, from
 * the environment where given, else started; returns the env to hand to child processes.
 */
export async function startServersForSuite(
  names: readonly ServerName[] = SERVER_NAMES,
  opts: StartOptions = {},
): Promise<SuiteServers> {
  const t0 = Date.now();
  const servers = await startServers(names, opts);
  for (const s of servers) {
    const where = s.source === 'process' ? `process ${s.pid}, log ${s.logFile}` : s.source;
    process.stderr.write(`[testkit] ${s.name}: ${where}\n`);
  }
  process.stderr.write(
    `[testkit] ${servers.length} server(s) ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return {
    servers,
    env: envFor(servers),
    async stop() {
      const results = await Promise.allSettled(servers.map((s) => s.stop()));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length)
        throw new AggregateError(
          failed.map((f) => f.reason),
          'some servers did not stop cleanly',
        );
    },
  };
}
