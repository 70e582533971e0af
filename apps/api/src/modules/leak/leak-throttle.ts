import type { AttemptThrottle, ThrottleDecision, ThrottleRule } from '../../auth/attempt-throttle.js';

export type LeakThrottleDecision = ThrottleDecision;

/**
 * Admits or refuses one unsigned leak report (§11) from an IP. Behind an interface so the route
 * does not know where the counts live.
 */
export interface LeakReportThrottle {
  admit(ip: string, now: number): Promise<LeakThrottleDecision>;
}

/**
 * Unsigned leak reports per client IP on the attempt throttle shared by every process (Redis,
 * else the database; decision 0012): N processes still admit `limit` reports per IP and window.
 */
export class SharedLeakReportThrottle implements LeakReportThrottle {
  constructor(
    private readonly throttle: AttemptThrottle,
    private readonly rule: ThrottleRule,
  ) {}

  admit(ip: string, now: number): Promise<LeakThrottleDecision> {
    return this.throttle.hit(`leak:${ip}`, this.rule, now);
  }
}
