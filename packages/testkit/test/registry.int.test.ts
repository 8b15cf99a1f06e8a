import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isPortOpen } from '../src/ports.js';
import { listEntries, reapOrphans } from '../src/registry.js';
import { packageDir, portOf, removeTempDirs, tempDir, waitFor } from './helpers.js';

describe('servers of a crashed run', () => {
  const saved = process.env.TRIBUTARY_RUN_DIR;
  // A private registry, so that this test never touches servers of other runs on the machine.
  const runDir = tempDir('tributary-run-');

  beforeAll(() => {
    process.env.TRIBUTARY_RUN_DIR = runDir;
  });
  afterAll(removeTempDirs);
  afterAll(() => {
    if (saved === undefined) delete process.env.TRIBUTARY_RUN_DIR;
    else process.env.TRIBUTARY_RUN_DIR = saved;
  });

  test('are reaped by the next run: killed by pid after checking the marker, entry removed', async () => {
    // One process (node with tsx's loader), not the tsx CLI, which would run the script in a child.
    const owner = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageDir, 'test', 'fixtures', 'start-and-hang.ts')],
      {
        cwd: packageDir,
        env: {
          ...process.env,
          TRIBUTARY_RUN_DIR: runDir,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      owner.once('exit', (code) => reject(new Error(`owner exited early (${code})`)));
      createInterface({ input: owner.stdout as NodeJS.ReadableStream }).once('line', resolve);
    });
    const started = JSON.parse(line) as { pid: number; endpoint: { endpoint: string } };
    const port = portOf(started.endpoint.endpoint);
    expect(await isPortOpen(port)).toBe(true);
    expect(listEntries().map((e) => e.pid)).toEqual([started.pid]);

    // The owner dies without any chance to clean up, as a crashed jest run would.
    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('exit', r));
    expect(existsSync(`/proc/${started.pid}`)).toBe(true); // the orphan is still there

    const reaped = await reapOrphans();
    expect(reaped.map((r) => [r.entry.pid, r.action])).toEqual([[started.pid, 'kill']]);
    await waitFor(() => !existsSync(`/proc/${started.pid}`), 5_000);
    expect(existsSync(`/proc/${started.pid}`)).toBe(false);
    expect(await isPortOpen(port)).toBe(false);
    expect(listEntries()).toEqual([]);
  }, 60_000);
});
