import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * CPUs a cgroup CPU quota allows, from cgroup v2's `cpu.max` ("<quota> <period>" or "max <period>")
 * or v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us` (quota -1: none); undefined without a quota.
 * Rounded up: a quota of 1.5 CPUs lets two threads run part of the time.
 */
export function cpusOfQuota(v2: string | undefined, v1Quota?: string, v1Period?: string): number | undefined {
  if (v2 !== undefined) {
    const [quota, period] = v2.trim().split(/\s+/);
    if (quota === undefined || quota === 'max') return undefined;
    const q = Number(quota);
    const p = Number(period ?? 100_000);
    return q > 0 && p > 0 ? Math.max(1, Math.ceil(q / p)) : undefined;
  }
  if (v1Quota === undefined || v1Period === undefined) return undefined;
  const q = Number(v1Quota.trim());
  const p = Number(v1Period.trim());
  return q > 0 && p > 0 ? Math.max(1, Math.ceil(q / p)) : undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * CPUs this process may use: the CPUs it may run on, bounded by the container's CPU quota (a
 * container limited to one CPU on a large host sees the host's CPUs in `availableParallelism`).
 */
export function availableCpus(): number {
  const quota = cpusOfQuota(
    read('/sys/fs/cgroup/cpu.max'),
    read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'),
    read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'),
  );
  return Math.min(availableParallelism(), quota ?? Number.POSITIVE_INFINITY);
}
