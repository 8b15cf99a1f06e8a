import { readFileSync } from 'node:fs';

/** True when `pid` exists and is not a zombie (a zombie has exited; it only waits to be reaped). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; the command name before it may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // No procfs (not Linux): trust kill(0).
    return true;
  }
}

/** The command line of a process as one string (NUL separators turned into spaces), or undefined. */
export function readCmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    // A negative pid addresses the whole process group the server leads (spawned with detached: true).
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isPidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isPidAlive(pid);
}

/**
 * Ends the process group led by `pid`: SIGTERM, then SIGKILL once `graceMs` has passed.
 * Resolves when the leader is gone; returns how it ended.
 */
export async function stopProcessGroup(
  pid: number,
  graceMs = 10_000,
): Promise<'not-running' | 'terminated' | 'killed'> {
  // A dead leader's pid may since belong to someone else: signal nothing then.
  if (!isPidAlive(pid)) return 'not-running';
  signalGroup(pid, 'SIGTERM');
  if (await waitGone(pid, graceMs)) {
    // Any process the server forked into its group (none of ours does today) goes with it; the group
    // id cannot be reused while such a member still exists.
    signalGroup(pid, 'SIGKILL');
    return 'terminated';
  }
  signalGroup(pid, 'SIGKILL');
  if (!(await waitGone(pid, 10_000))) throw new Error(`process ${pid} survived SIGKILL`);
  return 'killed';
}
