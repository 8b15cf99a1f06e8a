#!/usr/bin/env node
// `pnpm bench`: every package's benchmark, one after another, against servers started once by
// @tributary/testkit (or given in the environment). Each benchmark prints its own figure beside
// the ceiling it measured in the same run. `pnpm bench -- <filter>` runs matching packages only.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv
  .slice(2)
  .filter((a) => a !== '--')
  .flatMap((f) => ['--filter', `*${f}*`]);
const { startServersForSuite } = await import(join(root, 'packages/testkit/dist/index.js'));
const servers = await startServersForSuite();
let status = 1;
try {
  const res = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'bench', '--concurrency=1', '--output-logs=full', ...filters],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...servers.env },
    },
  );
  status = res.status ?? 1;
} finally {
  await servers.stop();
}
process.exit(status);
