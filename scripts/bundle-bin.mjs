#!/usr/bin/env node
// Bundles a connector's command line with its dependencies, run by the package's build after tsc:
//
//   node ../../scripts/bundle-bin.mjs [worker entry ...]     (in the package's folder)
//
// Input: dist/main.js (tsc's output of src/main.ts, the command line) and any worker entries
// (e.g. sender-worker.js, started with `new URL('./sender-worker.js', import.meta.url)`). Output:
// dist/bundle/ (the bundled main with its on-demand chunks, and each worker bundled whole beside
// it, where the code that starts it finds it) and dist/bin.js, the package's bin, which imports
// the bundled main. Why: loading the command line as a few large modules instead of hundreds of
// small ones (the AWS SDK alone is ~300) halves the process's start-up, which every `spec`,
// `check` and sync pays. The library entry (dist/index.js) stays unbundled for code that imports it.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const dist = join(process.cwd(), 'dist');
const workers = process.argv.slice(2);
const outdir = join(dist, 'bundle');
rmSync(outdir, { recursive: true, force: true });
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // ES module builds first (the AWS SDK ships both): unused commands and schemas are left out.
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require() for Node's modules; an ES module has none.
  banner: {
    js: "import { createRequire as __tributaryRequire } from 'node:module';\nconst require = __tributaryRequire(import.meta.url);",
  },
  legalComments: 'linked',
  logLevel: 'warning',
};
// The command line, with what it loads only on demand (e.g. rarely used credential providers)
// split into chunks of their own.
await build({ ...common, entryPoints: [join(dist, 'main.js')], outdir, splitting: true });
// Each worker in a build of its own, beside the main bundle (with its own on-demand chunks):
// chunks shared with the command line would make a worker load everything the command line needs
// too (the config schema, the logger).
for (const w of workers) await build({ ...common, entryPoints: [join(dist, w)], outdir, splitting: true });
const bin = join(dist, 'bin.js');
writeFileSync(bin, "#!/usr/bin/env node\nimport './bundle/main.js';\n");
chmodSync(bin, 0o755);
