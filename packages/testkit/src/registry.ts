import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { instancesDir, runDir } from './paths.js';
import { isPidAlive, readCmdline, stopProcessGroup } from './process-tree.js';
import type { EndpointOf, ServerName } from './types.js';

/** What the registry remembers of a server this harness started (one JSON file per server). */
export interface RegistryEntry<N extends ServerName = ServerName> {
  id: string;
  name: N;
  /** e.g. "auth", "tls" for Cassandra variants; undefined for the plain server. */
  variant?: string;
  pid: number;
  /** Process that owns the server; null for servers started by `servers up`, which outlive their starter. */
  ownerPid: number | null;
  endpoint: EndpointOf[N];
  dir: string;
  logFile: string;
  ports: number[];
  startedAt: string;
  /** Text that is on the server's command line; proves that a pid still belongs to our server. */
  marker: string;
}

/** The command-line marker for a server id (as a Java system property or a trailing Node argument). */
export function markerFor(id: string): string {
  return `tributary.server=${id}`;
}

function entryPath(id: string): string {
  return join(runDir(), `${id}.json`);
}

export async function writeEntry(entry: RegistryEntry): Promise<void> {
  await mkdir(runDir(), { recursive: true });
  // Write-then-rename so a concurrent reader never parses half a file.
  const tmp = `${entryPath(entry.id)}.${process.pid}.tmp`;
  // 0600: an entry may hold the password of a test role.
  await writeFile(tmp, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, entryPath(entry.id));
}

export async function removeEntry(id: string): Promise<void> {
  await rm(entryPath(id), { force: true });
}

export function listEntries(): RegistryEntry[] {
  let files: string[];
  try {
    files = readdirSync(runDir()).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const entries: RegistryEntry[] = [];
  for (const f of files) {
    try {
      entries.push(JSON.parse(readFileSync(join(runDir(), f), 'utf8')) as RegistryEntry);
    } catch {
      // Unreadable entry: ignore; it is not ours to interpret.
    }
  }
  return entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export interface ProcessProbe {
  isAlive(pid: number): boolean;
  cmdline(pid: number): string | undefined;
}

export const procProbe: ProcessProbe = { isAlive: isPidAlive, cmdline: readCmdline };

/** Whether the server behind an entry is running and is still the process we started. */
export function isOurServerRunning(entry: RegistryEntry, probe: ProcessProbe = procProbe): boolean {
  if (!probe.isAlive(entry.pid)) return false;
  // A pid can be reused by an unrelated process once ours is gone: only our marker proves identity.
  return probe.cmdline(entry.pid)?.includes(entry.marker) ?? false;
}

export type ReapDecision =
  /** Leave it alone: its owner still runs, or it was started to outlive its starter. */
  | 'keep'
  /** The server is gone (or the pid now belongs to someone else): drop the entry, kill nothing. */
  | 'forget'
  /** Orphan: its owner died without stopping it. Kill the process group and drop the entry. */
  | 'kill';

export function reapDecision(entry: RegistryEntry, probe: ProcessProbe = procProbe): ReapDecision {
  if (!isOurServerRunning(entry, probe)) return 'forget';
  if (entry.ownerPid === null) return 'keep';
  return probe.isAlive(entry.ownerPid) ? 'keep' : 'kill';
}

/** Removes the data of a stopped server but keeps its logs (handy after a failed run). */
export async function removeInstanceData(dir: string): Promise<void> {
  await rm(join(dir, 'data'), { recursive: true, force: true });
}

/**
 * Cleans up after crashed runs: kills orphaned servers (verified by marker) and forgets dead ones.
 * Returns what it did, for logging.
 */
export async function reapOrphans(
  probe: ProcessProbe = procProbe,
): Promise<{ entry: RegistryEntry; action: ReapDecision }[]> {
  const done: { entry: RegistryEntry; action: ReapDecision }[] = [];
  for (const entry of listEntries()) {
    const action = reapDecision(entry, probe);
    if (action === 'keep') continue;
    if (action === 'kill') await stopProcessGroup(entry.pid, 5_000);
    await removeEntry(entry.id);
    await removeInstanceData(entry.dir);
    done.push({ entry, action });
  }
  return done;
}

/**
 * Deletes instance directories (kept after stop for their logs) older than `maxAgeMs` that no registry
 * entry refers to. Returns the removed paths.
 */
export async function pruneInstances(maxAgeMs = 24 * 3600_000, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(instancesDir());
  } catch {
    return [];
  }
  const inUse = new Set(listEntries().map((e) => e.dir));
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(instancesDir(), name);
    if (inUse.has(dir)) continue;
    try {
      if (now - statSync(dir).mtimeMs < maxAgeMs) continue;
    } catch {
      continue;
    }
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
