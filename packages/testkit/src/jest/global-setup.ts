import { parseServerNames, setupServers } from './servers.js';

/**
 * Jest `globalSetup` entry. Which servers: the jest config's `globals.tributaryServers` (an array or a
 * comma list), else the TRIBUTARY_SERVERS environment variable.
 *
 *   // jest.config.js
 *   export default {
 *     preset: '@tributary/testkit',
 *     globalSetup: '@tributary/testkit/jest/global-setup',
 *     globalTeardown: '@tributary/testkit/jest/global-teardown',
 *     globals: { tributaryServers: ['cassandra', 'kafka'] },
 *   };
 */
export default async function globalSetup(
  _globalConfig: unknown,
  projectConfig?: { globals?: Record<string, unknown> },
): Promise<void> {
  const names = parseServerNames(projectConfig?.globals?.tributaryServers ?? process.env.TRIBUTARY_SERVERS);
  if (names.length > 0) await setupServers(names);
}
