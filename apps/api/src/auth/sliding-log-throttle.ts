/**
 * Counts attempts per key (client IP, email) in a sliding window, in memory. Used for
 * sign-in throttling; each process keeps its own log, which bounds a distributed attacker
 * to (processes × limit) attempts per window.
 */
export class SlidingLogThrottle {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt if allowed; otherwise returns how long until one is. */
  hit(key: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const since = now - this.windowMs;
    const times = (this.log.get(key) ?? []).filter((t) => t > since);
    if (times.length >= this.limit) {
      this.log.set(key, times);
      const oldest = times[0] ?? now;
      return { allowed: false, retryAfterMs: Math.max(1, oldest + this.windowMs - now) };
    }
    times.push(now);
    this.log.set(key, times);
    if (this.log.size > 100_000) this.prune(now);
    return { allowed: true };
  }

  reset(key: string): void {
    this.log.delete(key);
  }

  private prune(now: number): void {
    const since = now - this.windowMs;
    for (const [key, times] of this.log) {
      if (times.every((t) => t <= since)) this.log.delete(key);
    }
  }
}
