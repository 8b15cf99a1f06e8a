#!/usr/bin/env node
// The whole test suite, as CI runs it: lint, typecheck, then every package's jest suite against
// real servers started once by @tributary/testkit (or taken from *_ENDPOINT-style variables).
// Ends with one line "tests: N passed, N failed" summed over all packages.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = 'jest-results.json';

function sh(title, cmd, args, env = process.env) {
  process.stderr.write(`\n▸ ${title}\n`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return res.status === 0;
}

function packagesWithTests() {
  return readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'test')));
}

function summarise() {
  let passed = 0;
  let failed = 0;
  let suitesFailed = 0;
  for (const p of packagesWithTests()) {
    const file = join(root, 'packages', p, RESULTS);
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    suitesFailed += r.numRuntimeErrorTestSuites ?? 0;
  }
  return { passed, failed, suitesFailed };
}

let ok = true;
ok = sh('lint (biome)', 'pnpm', ['exec', 'biome', 'check', '.']) && ok;
ok = sh('typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']) && ok;

for (const p of packagesWithTests()) rmSync(join(root, 'packages', p, RESULTS), { force: true });

const { startServersForSuite } = await import(join(root, 'packages/testkit/dist/index.js'));
const servers = await startServersForSuite();
let testsOk = false;
try {
  testsOk = sh(
    'tests (all packages)',
    'pnpm',
    [
      'exec',
      'turbo',
      'run',
      'test',
      '--concurrency=1',
      '--continue',
      '--',
      '--json',
      `--outputFile=${RESULTS}`,
    ],
    { ...process.env, ...servers.env },
  );
} finally {
  await servers.stop();
}
const { passed, failed, suitesFailed } = summarise();
if (suitesFailed > 0) process.stderr.write(`${suitesFailed} test suite(s) failed to run\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(ok && testsOk && failed === 0 && suitesFailed === 0 ? 0 : 1);
