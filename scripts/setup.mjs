#!/usr/bin/env node
// One-step setup for a fresh machine (Node + npm only): installs pnpm if missing,
// installs the workspace with the committed lockfile, and builds every package.
// Java, Maven and the test servers are provisioned later, on demand, by @tributary/testkit.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.8';
const quiet = process.argv.includes('--quiet');

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: quiet ? 'pipe' : 'inherit', ...opts });
  return res.status === 0;
}

function step(title) {
  process.stderr.write(`\n▸ ${title}\n`);
}

function ensurePnpm() {
  if (spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0) return 'pnpm';
  step(`installing pnpm ${PNPM_VERSION} with npm`);
  if (run('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`])) return 'pnpm';
  // No permission for a global install: keep a private copy inside the checkout.
  const prefix = join(root, '.tributary', 'tools');
  if (!run('npm', ['install', '--prefix', prefix, `pnpm@${PNPM_VERSION}`])) {
    throw new Error('could not install pnpm with npm; install pnpm 10 by hand and run again');
  }
  return join(prefix, 'node_modules', '.bin', 'pnpm');
}

try {
  const pnpm = ensurePnpm();
  step('installing workspace dependencies');
  const lock = existsSync(join(root, 'pnpm-lock.yaml'));
  const installArgs = [
    'install',
    ...(lock && process.env.CI ? ['--frozen-lockfile'] : []),
    '--reporter=append-only',
  ];
  if (!run(pnpm, installArgs)) throw new Error('pnpm install failed');
  step('building packages');
  if (!run(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']))
    throw new Error('build failed');
} catch (err) {
  process.stderr.write(`setup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
