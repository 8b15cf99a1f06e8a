import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../src/clients.js';
import { endpointFromEnv } from '../src/env.js';
import { isPortOpen } from '../src/ports.js';
import { packageDir, portOf, removeTempDirs, tempDir, tsxBin, waitFor } from './helpers.js';

const run = promisify(execFile);

describe('the servers CLI', () => {
  // A private registry: `down` must only see what this test started.
  const env = { ...process.env, TRIBUTARY_RUN_DIR: tempDir('tributary-cli-') };
  afterAll(removeTempDirs);
  const cli = (...args: string[]) =>
    run(tsxBin, [join(packageDir, 'src', 'cli.ts'), ...args], { env, cwd: packageDir });

  test('up starts a server that outlives the CLI, status lists it, down stops it', async () => {
    const up = await cli('up', 'kinesis');
    expect(up.stdout).toMatch(/^export KINESIS_ENDPOINT='http:\/\/127\.0\.0\.1:\d+'$/m);
    expect(up.stderr).toMatch(/kinesis\s+running\s+\d+\s+servers up/);
    const endpoint = endpointFromEnv('kinesis', {
      KINESIS_ENDPOINT: /KINESIS_ENDPOINT='([^']+)'/.exec(up.stdout)?.[1],
    });
    if (!endpoint) throw new Error('no endpoint printed');
    const pid = Number(/kinesis\s+running\s+(\d+)/.exec(up.stderr)?.[1]);

    // The CLI has exited; the server still answers.
    const client = kinesisClient(endpoint);
    expect((await client.send(new ListStreamsCommand({}))).StreamNames).toEqual([]);
    client.destroy();

    // `up` again reuses the running server instead of starting a second one.
    const again = await cli('up', 'kinesis');
    expect(again.stderr).toContain(`kinesis: already running (pid ${pid})`);
    expect(again.stdout).toBe(up.stdout);

    expect((await cli('env')).stdout).toBe(up.stdout);
    expect((await cli('status')).stderr).toMatch(new RegExp(`kinesis\\s+running\\s+${pid}`));

    const down = await cli('down');
    expect(down.stderr).toContain(`kinesis: stopped (pid ${pid})`);
    await waitFor(() => !existsSync(`/proc/${pid}`), 5_000);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(await isPortOpen(portOf(endpoint.endpoint))).toBe(false);
    expect((await cli('status')).stderr).toContain('no servers registered');
  }, 60_000);

  test('an unknown command or server name is a usage error', async () => {
    await expect(cli('up', 'scylla')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown server "scylla"'),
    });
    await expect(cli('frobnicate')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: pnpm servers'),
    });
  });
});
