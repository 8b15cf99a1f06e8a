#!/usr/bin/env node
// Bundles a connector's command line with its dependencies, run by the package's build after tsc:
//
//   node ../../scripts/bundle-bin.mjs [worker entry ...]     (in the package's folder)
//
// Input: dist/main.js (tsc's output of src/main.ts, the command line) and any worker entries
// (e.g. put-worker.js, started with `new URL('./put-worker.js', import.meta.url)`). Output:
// dist/bundle/ (one ES module per entry, shared code in chunks beside them, so a worker entry is
// found next to the code that starts it) and dist/bin.js, the package's bin, which imports the
// bundled main. Why: loading the command line as a few large modules instead of hundreds of
// small ones (the AWS SDK alone is ~300) halves the process's start-up, which every `spec`,
// `check` and sync pays. The library entry (dist/index.js) stays unbundled for code that imports it.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const dist = join(process.cwd(), 'dist');
const workers = process.argv.slice(2);
rmSync(join(dist, 'bundle'), { recursive: true, force: true });
await build({
  entryPoints: [join(dist, 'main.js'), ...workers.map((w) => join(dist, w))],
  outdir: join(dist, 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // ES module builds first (the AWS SDK ships both): unused commands and schemas are left out.
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require() for Node's modules; an ES module has none.
  banner: { js: "import { createRequire as __tributaryRequire } from 'node:module';\nconst require = __tributaryRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
});
const bin = join(dist, 'bin.js');
writeFileSync(bin, "#!/usr/bin/env node\nimport './bundle/main.js';\n");
chmodSync(bin, 0o755);
