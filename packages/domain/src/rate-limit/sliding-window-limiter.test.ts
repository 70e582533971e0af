import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlan, PLAN_LIMITS, PLANS } from './plans.js';
import {
  RATE_LIMIT_WINDOW_MS,
  type RateLimitCaps,
  type RateLimitWindowName,
  SlidingWindowLimiter,
  tryAdmitAll,
} from './sliding-window-limiter.js';

const WINDOWS: readonly RateLimitWindowName[] = ['second', 'minute'];
const capOf = (caps: RateLimitCaps, window: RateLimitWindowName): number =>
  window === 'second' ? caps.perSecond : caps.perMinute;

/** Admissions in the span `(t - W, t]`. */
function inSpan(admitted: readonly number[], t: number, windowMs: number): number {
  return admitted.filter((a) => a > t - windowMs && a <= t).length;
}

/** The brute-force sliding log: keeps every admitted timestamp. */
function modelAdmits(admitted: readonly number[], caps: RateLimitCaps, t: number): boolean {
  return WINDOWS.every((w) => inSpan(admitted, t, RATE_LIMIT_WINDOW_MS[w]) < capOf(caps, w));
}

const capsArb = fc.record({
  perSecond: fc.integer({ min: 1, max: 6 }),
  perMinute: fc.integer({ min: 1, max: 40 }),
});
/** Non-decreasing arrival times: bursts in the same ms, sub-second gaps, gaps around a second and a minute. */
const arrivalsArb = fc
  .array(
    fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 900, max: 1100 }),
      fc.integer({ min: 2000, max: 70_000 }),
    ),
    { maxLength: 250 },
  )
  .map((gaps) => {
    let t = 1_700_000_000_000;
    return gaps.map((gap) => (t += gap));
  });

describe('PLAN_LIMITS', () => {
  it('matches §3', () => {
    expect(PLANS).toEqual(['free', 'pro', 'team', 'enterprise']);
    expect(PLAN_LIMITS).toEqual({
      free: { perSecond: 5, perMinute: 60, apiKeys: false, autoRenew: false },
      pro: { perSecond: 20, perMinute: 300, apiKeys: true, autoRenew: false },
      team: { perSecond: 50, perMinute: 600, apiKeys: true, autoRenew: false },
      enterprise: { perSecond: 200, perMinute: 3000, apiKeys: true, autoRenew: true },
    });
  });

  it.each([
    ['pro', true],
    ['enterprise', true],
    ['Pro', false],
    ['gold', false],
    ['', false],
  ])('isPlan(%j) is %s', (value, expected) => {
    expect(isPlan(value)).toBe(expected);
  });
});

describe('SlidingWindowLimiter', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects cap %d', (cap) => {
    expect(() => new SlidingWindowLimiter({ perSecond: cap, perMinute: 10 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ perSecond: 10, perMinute: cap })).toThrow(RangeError);
  });

  it('admits up to the per-second cap and frees a slot exactly 1000 ms after the oldest admission', () => {
    const limiter = new SlidingWindowLimiter({ perSecond: 2, perMinute: 100 });
    expect(limiter.tryAdmit(0)).toMatchObject({ admitted: true, remaining: 99 });
    expect(limiter.tryAdmit(0).admitted).toBe(true);
    expect(limiter.tryAdmit(0)).toMatchObject({ admitted: false, exceeded: 'second', retryAfterMs: 1000 });
    expect(limiter.tryAdmit(999)).toMatchObject({ admitted: false, exceeded: 'second', retryAfterMs: 1 });
    expect(limiter.tryAdmit(1000)).toMatchObject({ admitted: true, exceeded: null, retryAfterMs: 0 });
    expect(limiter.tryAdmit(1000)).toMatchObject({ admitted: true });
    expect(limiter.tryAdmit(1000).admitted).toBe(false);
  });

  it('enforces the per-minute cap on any 60-second span, down to the millisecond', () => {
    const limiter = new SlidingWindowLimiter({ perSecond: 100, perMinute: 3 });
    for (const t of [0, 1, 2]) expect(limiter.tryAdmit(t).admitted).toBe(true);
    expect(limiter.tryAdmit(59_999)).toMatchObject({ admitted: false, exceeded: 'minute', retryAfterMs: 1 });
    expect(limiter.tryAdmit(60_000)).toMatchObject({ admitted: true, remaining: 0 });
    expect(limiter.tryAdmit(60_000)).toMatchObject({ admitted: false, retryAfterMs: 1 });
    expect(limiter.tryAdmit(60_001).admitted).toBe(true);
  });

  it('does not allow a double burst across a second boundary (what a fixed window would)', () => {
    const limiter = new SlidingWindowLimiter({ perSecond: 5, perMinute: 1000 });
    const admitted: number[] = [];
    for (let t = 500; t < 1500; t += 10) if (limiter.tryAdmit(t).admitted) admitted.push(t);
    expect(admitted).toEqual([500, 510, 520, 530, 540]);
  });

  it('when both windows are full, reports the one that frees later', () => {
    const limiter = new SlidingWindowLimiter({ perSecond: 1, perMinute: 2 });
    limiter.tryAdmit(0);
    limiter.tryAdmit(5000);
    expect(limiter.tryAdmit(5100)).toMatchObject({
      admitted: false,
      exceeded: 'minute',
      retryAfterMs: 54_900,
    });
    const secondOnly = new SlidingWindowLimiter({ perSecond: 1, perMinute: 10 });
    secondOnly.tryAdmit(0);
    expect(secondOnly.tryAdmit(10)).toMatchObject({ admitted: false, exceeded: 'second', retryAfterMs: 990 });
  });

  it('peek decides without recording', () => {
    const limiter = new SlidingWindowLimiter({ perSecond: 1, perMinute: 10 });
    expect(limiter.peek(0)).toMatchObject({ admitted: true, remaining: 10 });
    expect(limiter.peek(0)).toMatchObject({ admitted: true, remaining: 10 });
    expect(limiter.tryAdmit(0)).toMatchObject({ admitted: true, remaining: 9 });
    expect(limiter.peek(0)).toMatchObject({ admitted: false, remaining: 9 });
  });

  it('reports the per-minute window for the headers, and both windows in detail', () => {
    const limiter = new SlidingWindowLimiter({ perSecond: 3, perMinute: 10 });
    limiter.tryAdmit(1000);
    const decision = limiter.tryAdmit(1500);
    expect(decision).toEqual({
      admitted: true,
      exceeded: null,
      limit: 10,
      remaining: 8,
      resetAt: 61_000,
      retryAfterMs: 0,
      windows: {
        second: { limit: 3, remaining: 1, resetAt: 2000 },
        minute: { limit: 10, remaining: 8, resetAt: 61_000 },
      },
    });
    expect(limiter.peek(2000).windows.second).toEqual({ limit: 3, remaining: 2, resetAt: 2500 });
    expect(limiter.peek(100_000).windows.minute).toEqual({ limit: 10, remaining: 10, resetAt: 100_000 });
  });

  it('never lets the clock run backwards', () => {
    const limiter = new SlidingWindowLimiter({ perSecond: 1, perMinute: 10 });
    expect(limiter.tryAdmit(10_000).admitted).toBe(true);
    expect(limiter.tryAdmit(5_000)).toMatchObject({
      admitted: false,
      exceeded: 'second',
      retryAfterMs: 6000,
    });
    expect(limiter.tryAdmit(11_000).admitted).toBe(true);
  });

  it('decides exactly like the brute-force sliding log', () => {
    fc.assert(
      fc.property(capsArb, arrivalsArb, (caps, arrivals) => {
        const limiter = new SlidingWindowLimiter(caps);
        const admitted: number[] = [];
        for (const t of arrivals) {
          const expected = modelAdmits(admitted, caps, t);
          const decision = limiter.tryAdmit(t);
          expect(decision.admitted).toBe(expected);
          if (expected) admitted.push(t);
          for (const w of WINDOWS) {
            expect(decision.windows[w].remaining).toBe(
              capOf(caps, w) - inSpan(admitted, t, RATE_LIMIT_WINDOW_MS[w]),
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('admits at most the cap in every span of 1 s and of 60 s, and refuses only what would break that', () => {
    fc.assert(
      fc.property(capsArb, arrivalsArb, (caps, arrivals) => {
        const limiter = new SlidingWindowLimiter(caps);
        const admitted: number[] = [];
        for (const t of arrivals) {
          if (limiter.tryAdmit(t).admitted) {
            admitted.push(t);
          } else {
            // Maximality: with t admitted, some span ending at t would hold cap + 1.
            const withT = [...admitted, t];
            const violates = WINDOWS.some((w) => inSpan(withT, t, RATE_LIMIT_WINDOW_MS[w]) > capOf(caps, w));
            expect(violates).toBe(true);
          }
        }
        // Safety: the fullest span of length W ends at an admitted timestamp.
        for (const end of admitted) {
          for (const w of WINDOWS) {
            expect(inSpan(admitted, end, RATE_LIMIT_WINDOW_MS[w])).toBeLessThanOrEqual(capOf(caps, w));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('Retry-After is exact: refused one ms earlier, admitted at it', () => {
    fc.assert(
      fc.property(capsArb, arrivalsArb, (caps, arrivals) => {
        const limiter = new SlidingWindowLimiter(caps);
        for (const t of arrivals) {
          const decision = limiter.tryAdmit(t);
          if (decision.admitted) continue;
          expect(decision.retryAfterMs).toBeGreaterThan(0);
          expect(limiter.peek(t + decision.retryAfterMs - 1).admitted).toBe(false);
          expect(limiter.peek(t + decision.retryAfterMs).admitted).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('tryAdmitAll', () => {
  it('records in every limiter or in none', () => {
    const organization = new SlidingWindowLimiter({ perSecond: 5, perMinute: 100 });
    const key = new SlidingWindowLimiter({ perSecond: 1, perMinute: 100 });
    expect(tryAdmitAll([organization, key], 0).admitted).toBe(true);
    const refused = tryAdmitAll([organization, key], 1);
    expect(refused).toMatchObject({ admitted: false, exceeded: 'second', retryAfterMs: 999 });
    expect(organization.peek(1).windows.second.remaining).toBe(4);
  });

  it('reports the tightest limiter when admitted', () => {
    const organization = new SlidingWindowLimiter({ perSecond: 50, perMinute: 600 });
    const key = new SlidingWindowLimiter({ perSecond: 10, perMinute: 20 });
    expect(tryAdmitAll([organization, key], 0)).toMatchObject({ admitted: true, limit: 20, remaining: 19 });
  });

  it('requires at least one limiter', () => {
    expect(() => tryAdmitAll([], 0)).toThrow(RangeError);
  });

  it('keeps every limiter within its caps under random traffic', () => {
    fc.assert(
      fc.property(capsArb, capsArb, arrivalsArb, (a, b, arrivals) => {
        const limiters = [new SlidingWindowLimiter(a), new SlidingWindowLimiter(b)];
        const admitted: number[] = [];
        for (const t of arrivals) {
          const expected = modelAdmits(admitted, a, t) && modelAdmits(admitted, b, t);
          expect(tryAdmitAll(limiters, t).admitted).toBe(expected);
          if (expected) admitted.push(t);
        }
      }),
      { numRuns: 200 },
    );
  });
});
