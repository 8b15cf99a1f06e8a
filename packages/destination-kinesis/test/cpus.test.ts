import { availableParallelism } from 'node:os';
import { availableCpus, cpusOfQuota } from '../src/cpus.js';

describe('cpusOfQuota', () => {
  it('reads cgroup v2 cpu.max', () => {
    expect(cpusOfQuota('max 100000\n')).toBeUndefined();
    expect(cpusOfQuota('100000 100000\n')).toBe(1);
    expect(cpusOfQuota('150000 100000\n')).toBe(2);
    expect(cpusOfQuota('400000 100000')).toBe(4);
    expect(cpusOfQuota('50000 100000')).toBe(1);
  });

  it('reads cgroup v1 quota and period (-1: no quota)', () => {
    expect(cpusOfQuota(undefined, '-1\n', '100000\n')).toBeUndefined();
    expect(cpusOfQuota(undefined, '200000\n', '100000\n')).toBe(2);
    expect(cpusOfQuota(undefined, undefined, undefined)).toBeUndefined();
  });

  it('ignores what it cannot read', () => {
    expect(cpusOfQuota('garbage')).toBeUndefined();
    expect(cpusOfQuota('')).toBeUndefined();
  });
});

describe('availableCpus', () => {
  it('is at least one and at most the CPUs the process may run on', () => {
    const n = availableCpus();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(availableParallelism());
  });
});
