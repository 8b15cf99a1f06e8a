#!/usr/bin/env node
// Builds a connector's deployable folder: its dist, its production dependencies (workspace
// packages copied in, not linked) and the Airbyte entrypoint. The Dockerfile runs exactly this;
// CI runs it without Docker and then starts the folder's entrypoint outside the workspace.
//
//   node scripts/deploy-connector.mjs <connector-folder> <out-dir> [--entrypoint docker/entrypoint.sh]
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [connector, outArg, ...rest] = process.argv.slice(2);
if (!connector || !outArg) {
  console.error('usage: deploy-connector.mjs <connector-folder> <out-dir> [--entrypoint <file>]');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, '..', 'pnpm-workspace.yaml')) ? join(here, '..') : process.cwd();
const entrypointArg = rest[0] === '--entrypoint' ? rest[1] : undefined;
const entrypoint = resolve(entrypointArg ?? join(root, 'docker', 'entrypoint.sh'));
const out = resolve(outArg);
const pkgName = `@tributary/${connector}`;

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

const manifest = JSON.parse(readFileSync(join(root, 'packages', connector, 'package.json'), 'utf8'));
const bin = manifest.bin?.[connector];
if (!bin) throw new Error(`${pkgName} declares no bin named ${connector}`);

run('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${pkgName}...`, '--output-logs=errors-only']);
rmSync(out, { recursive: true, force: true });
// --legacy: copy workspace dependencies into the folder instead of requiring injected packages.
run('pnpm', ['--filter', pkgName, 'deploy', '--prod', '--legacy', out]);
// The entrypoint runs `<dir>/bin.js`: a one-line shim pointing at the package's declared bin.
writeFileSync(join(out, 'bin.js'), `import './${bin.replace(/^\.\//, '')}';\n`);
copyFileSync(entrypoint, join(out, 'entrypoint.sh'));
chmodSync(join(out, 'entrypoint.sh'), 0o755);
console.log(`deployed ${pkgName}@${manifest.version} to ${out} (entrypoint ${join(out, 'entrypoint.sh')})`);
