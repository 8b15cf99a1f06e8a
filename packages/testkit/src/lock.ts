import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isPidAlive } from './process-tree.js';

interface LockOwner {
  pid: number;
  token: string;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.token === 'string') {
      return { pid: parsed.pid, token: parsed.token };
    }
  } catch {
    // Missing or half-written: treated as "no valid owner" below.
  }
  return undefined;
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL). A lock whose owner process is
 * dead is taken over, so a provisioning run killed half-way never blocks the next one.
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  opts: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let unreadableSince: number | undefined;
  for (;;) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, token }), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(path);
    if (owner) {
      unreadableSince = undefined;
      if (!isPidAlive(owner.pid)) {
        // Stale lock of a dead process: remove it only if it is still the same lock.
        if (readOwner(path)?.token === owner.token) unlinkQuietly(path);
        continue;
      }
    } else {
      // The owner may be between create and write; give it a moment before calling the file stale.
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 5_000) {
        unlinkQuietly(path);
        continue;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for the lock ${path}` +
          (owner ? ` held by pid ${owner.pid}` : '') +
          (opts.what ? ` (${opts.what})` : ''),
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await fn();
  } finally {
    if (readOwner(path)?.token === token) unlinkQuietly(path);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
