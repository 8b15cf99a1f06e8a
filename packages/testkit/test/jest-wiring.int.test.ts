import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { isPortOpen } from '../src/ports.js';
import { packageDir } from './helpers.js';

const run = promisify(execFile);

function mtimes(dir: string, ext: RegExp): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .map((f) => statSync(join(dir, f)).mtimeMs);
}
const newestMtime = (dir: string) => Math.max(0, ...mtimes(dir, /\.ts$/));
const oldestMtime = (dir: string) => {
  const all = mtimes(dir, /\.js$/);
  return all.length ? Math.min(...all) : 0;
};
const repoRoot = join(packageDir, '..', '..');

/**
 * Another package's point of view: a throwaway project that depends on @tributary/testkit (by symlink,
 * as pnpm links workspace packages) and wires the servers through its jest config only.
 */
const JEST_CONFIG = `export default {
  preset: '@tributary/testkit',
  globalSetup: '@tributary/testkit/jest/global-setup',
  globalTeardown: '@tributary/testkit/jest/global-teardown',
  globals: { tributaryServers: ['kinesis'] },
};
`;

const CONSUMER_TEST = `import { writeFileSync } from 'node:fs';
import { endpointFromEnv, probeServer } from '@tributary/testkit';

test('the worker sees the endpoint in its environment and the server answers', async () => {
  const endpoint = endpointFromEnv('kinesis');
  expect(endpoint?.endpoint).toMatch(/^http:\\/\\/127\\.0\\.0\\.1:\\d+$/);
  expect(await probeServer('kinesis', endpoint)).toBe(true);
  writeFileSync(process.env.CONSUMER_OUT, endpoint.endpoint);
});
`;

describe('a package wiring testkit into jest', () => {
  let project: string;
  const runDir = mkdtempSync(join(tmpdir(), 'tributary-jest-run-'));

  beforeAll(async () => {
    // The jest entries point at dist/: rebuild it when a source is newer, so the check runs against the
    // current sources (and dist is not rewritten under other readers when nothing changed).
    if (newestMtime(join(packageDir, 'src')) > oldestMtime(join(packageDir, 'dist'))) {
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir });
    }
    project = mkdtempSync(join(tmpdir(), 'tributary-consumer-'));
    writeFileSync(
      join(project, 'package.json'),
      '{ "name": "consumer", "type": "module", "private": true }\n',
    );
    writeFileSync(join(project, 'jest.config.js'), JEST_CONFIG);
    mkdirSync(join(project, 'test'));
    writeFileSync(join(project, 'test', 'consumer.test.ts'), CONSUMER_TEST);
    mkdirSync(join(project, 'node_modules', '@tributary'), { recursive: true });
    mkdirSync(join(project, 'node_modules', '@swc'), { recursive: true });
    symlinkSync(packageDir, join(project, 'node_modules', '@tributary', 'testkit'));
    // The preset's transformer, as every package of the monorepo gets it from the root.
    symlinkSync(
      realpathSync(dirname(join(repoRoot, 'node_modules', '@swc', 'jest', 'package.json'))),
      join(project, 'node_modules', '@swc', 'jest'),
    );
  }, 120_000);

  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  });

  function jest(env: NodeJS.ProcessEnv) {
    const out = join(project, `out-${Date.now()}.txt`);
    return run(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--no-warnings',
        join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--runInBand',
      ],
      { cwd: project, env: { ...env, CONSUMER_OUT: out, TRIBUTARY_RUN_DIR: runDir } },
    ).then((r) => ({ ...r, endpoint: readFileSync(out, 'utf8') }));
  }

  test('globalSetup starts the server for the run and globalTeardown stops it', async () => {
    const { KINESIS_ENDPOINT: _drop, ...env } = process.env;
    const result = await jest(env);
    expect(result.stderr).toMatch(/\[testkit\] kinesis: process \d+/);
    expect(result.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(await isPortOpen(Number(new URL(result.endpoint).port))).toBe(false);
  }, 120_000);

  test('with the endpoint already in the environment it starts nothing', async () => {
    const { startKinesis } = await import('../src/start.js');
    const server = await startKinesis({ source: 'process' });
    try {
      const result = await jest({ ...process.env, KINESIS_ENDPOINT: server.endpoint.endpoint });
      expect(result.endpoint).toBe(server.endpoint.endpoint);
      expect(result.stderr).not.toMatch(/\[testkit\] kinesis: process/);
      expect(await isPortOpen(Number(new URL(server.endpoint.endpoint).port))).toBe(true); // left running
    } finally {
      await server.stop();
    }
  }, 120_000);
});
