import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from '../src/lock.js';
import { removeTempDirs, tempDir } from './helpers.js';

describe('file lock', () => {
  const dir = tempDir('lock-');
  afterAll(removeTempDirs);

  test('serialises concurrent holders and removes the file afterwards', async () => {
    const lock = join(dir, 'a.lock');
    const events: string[] = [];
    const hold = (name: string) =>
      withFileLock(lock, async () => {
        events.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 50));
        events.push(`${name}-`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    // Never two holders at once: every "+" is directly followed by its own "-".
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]?.[0]).toBe(events[i + 1]?.[0]);
    }
    expect(existsSync(lock)).toBe(false);
  });

  test('a lock left by a dead process is taken over', async () => {
    const lock = join(dir, 'b.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(lock, JSON.stringify({ pid: Number(dead.stdout), token: 'old' }));
    await expect(withFileLock(lock, async () => 'got it', { timeoutMs: 2_000 })).resolves.toBe('got it');
  });

  test('a lock held by a live process times out with a clear message', async () => {
    const lock = join(dir, 'c.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, token: 'other' }));
    await expect(
      withFileLock(lock, async () => 1, { timeoutMs: 300, what: 'provisioning x' }),
    ).rejects.toThrow(/timed out .* held by pid \d+ \(provisioning x\)/);
  });
});
