import { startServersForSuite } from '../suite.js';
import { SERVER_NAMES, type Server, type ServerName, type StartOptions } from '../types.js';

/** Servers started by setupServers() in this process, kept on globalThis so teardown finds them even
 * if jest loads the setup and teardown modules separately. */
const STATE = Symbol.for('@tributary/testkit/jest-servers');

type State = { started: Server<unknown>[] };

function state(): State {
  const g = globalThis as unknown as Record<symbol, State | undefined>;
  g[STATE] ??= { started: [] };
  return g[STATE];
}

/** Validates a list of server names (from jest globals or TRIBUTARY_SERVERS). */
export function parseServerNames(value: unknown): ServerName[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const names = raw.map((v) => String(v).trim()).filter(Boolean);
  for (const n of names) {
    if (!SERVER_NAMES.includes(n as ServerName)) {
      throw new Error(`unknown server "${n}"; expected some of ${SERVER_NAMES.join(', ')}`);
    }
  }
  return names as ServerName[];
}

/**
 * For jest globalSetup (or any runner): starts the servers that the environment does not already
 * provide, and writes their endpoints into process.env so that workers and child processes reuse them.
 */
export async function setupServers(
  names: readonly ServerName[],
  opts: StartOptions = {},
): Promise<Server<unknown>[]> {
  const suite = await startServersForSuite(names, opts);
  Object.assign(process.env, suite.env);
  state().started.push(...suite.servers.filter((s) => s.source !== 'env'));
  return suite.servers;
}

/** Stops what setupServers() started in this process (env endpoints are left alone). */
export async function teardownServers(): Promise<void> {
  const { started } = state();
  const toStop = started.splice(0, started.length);
  const results = await Promise.allSettled(toStop.map((s) => s.stop()));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0)
    throw new AggregateError(
      failed.map((f) => f.reason),
      'some servers did not stop cleanly',
    );
}
