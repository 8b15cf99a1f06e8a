/**
 * "Full jitter" exponential backoff: a uniformly random delay in [0, min(maxMs, baseMs * 2^(attempt-1))]
 * milliseconds, where `attempt` is the 1-based number of the attempt that just failed. Jitter spreads
 * the retries of many concurrent writers so they do not hit a throttled service in lockstep.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  // Capped so that 2 ** exponent stays finite: 0 * Infinity would be NaN for a zero base.
  const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 1000);
  const cap = Math.max(0, Math.min(maxMs, baseMs * 2 ** exponent));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(cap, Math.floor(unit * (cap + 1)));
}
