import { SlidingLogThrottle } from '../../auth/sliding-log-throttle.js';

export type LeakThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Admits or refuses one unsigned leak report (§11) from an IP. Behind an interface so that a
 * throttle shared across processes can replace the in-process one without touching the route.
 */
export interface LeakReportThrottle {
  admit(ip: string, now: number): Promise<LeakThrottleDecision>;
}

/**
 * Each process keeps its own sliding log, so N processes admit up to N × `limit` reports per
 * IP and window: a bound, not an exact count (the same trade as the sign-in throttle).
 */
export class InProcessLeakReportThrottle implements LeakReportThrottle {
  private readonly log: SlidingLogThrottle;

  constructor(limit: number, windowMs: number) {
    this.log = new SlidingLogThrottle(limit, windowMs);
  }

  admit(ip: string, now: number): Promise<LeakThrottleDecision> {
    return Promise.resolve(this.log.hit(ip, now));
  }
}
