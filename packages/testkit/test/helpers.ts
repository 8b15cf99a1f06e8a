import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPortOpen } from '../src/ports.js';
import type { Server } from '../src/types.js';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const tsxBin = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsx');

/** Stops a process-backed server and checks that its process is gone and its port closed. */
export async function stopAndVerify(server: Server<unknown>, port: number): Promise<void> {
  const pid = server.pid;
  expect(server.source).toBe('process');
  expect(pid).toBeGreaterThan(0);
  expect(existsSync(`/proc/${pid}`)).toBe(true);
  await server.stop();
  // Reaped, not a zombie: the /proc entry itself is gone.
  await waitFor(() => !existsSync(`/proc/${pid}`), 5_000);
  expect(existsSync(`/proc/${pid}`)).toBe(false);
  expect(await isPortOpen(port)).toBe(false);
}

export async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by removeTempDirs() (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
