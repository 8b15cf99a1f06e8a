import { teardownServers } from './servers.js';

/** Jest `globalTeardown` entry: stops only what the matching globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  await teardownServers();
}
