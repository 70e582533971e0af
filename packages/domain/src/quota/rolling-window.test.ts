import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketedCounter } from './bucketed-counter.js';
import {
  bucketCounts,
  bucketStart,
  computeRollingWindow,
  evaluateQuotas,
  QUOTA_WINDOW_NAMES,
  QUOTA_WINDOWS,
  type QuotaLimits,
  type UsageByWindow,
} from './rolling-window.js';
import { bucketsOf, exactUsed, ROLLING, scenarioArb, TIME, type UsageEvent } from './usage-model.testkit.js';

const { MINUTE, HOUR, DAY } = TIME;

describe('QUOTA_WINDOWS', () => {
  it('defines the §3 windows with buckets no coarser than §3 allows', () => {
    expect(QUOTA_WINDOW_NAMES).toEqual(['total', 'daily', 'weekly', 'monthly']);
    expect(QUOTA_WINDOWS.total).toEqual({ name: 'total', durationMs: null, bucketMs: null });
    expect(QUOTA_WINDOWS.daily).toEqual({ name: 'daily', durationMs: 86_400_000, bucketMs: 60_000 });
    expect(QUOTA_WINDOWS.weekly).toEqual({ name: 'weekly', durationMs: 604_800_000, bucketMs: 3_600_000 });
    expect(QUOTA_WINDOWS.monthly).toEqual({
      name: 'monthly',
      durationMs: 2_592_000_000,
      bucketMs: 3_600_000,
    });
    for (const window of ROLLING) {
      const { durationMs, bucketMs } = QUOTA_WINDOWS[window];
      expect(durationMs % bucketMs).toBe(0);
    }
  });
});

describe('bucketStart', () => {
  it.each([
    ['daily', 0, 0],
    ['daily', 59_999, 0],
    ['daily', 60_000, 60_000],
    ['daily', 60_001, 60_000],
    ['daily', -1, -60_000],
    ['weekly', 3_599_999, 0],
    ['weekly', 3_600_000, 3_600_000],
    ['monthly', 1_700_000_123_456, 1_699_999_200_000],
    ['total', 1_700_000_123_456, 0],
  ] as const)('%s bucket of %d starts at %d', (window, t, expected) => {
    expect(bucketStart(window, t)).toBe(expected);
  });

  it('contains t and is aligned', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLLING), fc.integer({ min: -1e13, max: 1e13 }), (window, t) => {
        const { bucketMs } = QUOTA_WINDOWS[window];
        const start = bucketStart(window, t);
        expect(start <= t && t < start + bucketMs).toBe(true);
        expect(Math.abs(start % bucketMs)).toBe(0);
      }),
    );
  });
});

describe('window edges (an off-by-one here must fail)', () => {
  // One bucket, `s` = start, holding events at its first and its last millisecond.
  describe.each(ROLLING)('%s', (window) => {
    const { durationMs: D, bucketMs: b } = QUOTA_WINDOWS[window];
    const s = 1_700_006_400_000; // a multiple of both bucket sizes
    const first: UsageEvent = { t: s, credits: 1 };
    const last: UsageEvent = { t: s + b - 1, credits: 10 };
    const buckets = [{ start: s, credits: 11 }];

    it('puts both events in the same bucket', () => {
      expect(bucketStart(window, first.t)).toBe(s);
      expect(bucketStart(window, last.t)).toBe(s);
    });

    it.each([
      // [now, counted by the bucket rule, exact count of the model]
      ['the last ms of the bucket', s + b - 1, 11, 11],
      ['one ms before the first event leaves exactly', s + D - 1, 11, 11],
      ['the first event leaves exactly (t = now - D is outside)', s + D, 11, 10],
      ['one ms before the last event leaves exactly', s + b - 1 + D - 1, 11, 10],
      ['the last event leaves exactly', s + b - 1 + D, 11, 0],
      ['now - D exactly on the bucket end: the bucket leaves', s + b + D, 0, 0],
      ['one ms after that', s + b + D + 1, 0, 0],
    ])('at %s', (_name, now, used, exact) => {
      expect(computeRollingWindow(window, buckets, 100, now).used).toBe(used);
      expect(exactUsed([first, last], now - D, now)).toBe(exact);
      expect(bucketCounts(window, s, now)).toBe(used > 0);
      const counter = new BucketedCounter([window]);
      counter.add(first.t, first.credits);
      counter.add(last.t, last.credits);
      expect(counter.used(window, now)).toBe(used);
    });

    it('reports nextFreeAt = start + bucketMs + durationMs, the first instant it no longer counts', () => {
      expect(computeRollingWindow(window, buckets, 100, s + b - 1).nextFreeAt).toBe(s + b + D);
      expect(computeRollingWindow(window, buckets, 100, s + b + D - 1).used).toBe(11);
      expect(computeRollingWindow(window, buckets, 100, s + b + D)).toEqual({
        used: 0,
        remaining: 100,
        nextFreeAt: null,
      });
    });

    it('when now - D falls exactly on a bucket boundary, counts from that boundary on', () => {
      const now = s + D; // now - D = s
      const around = [
        { start: s - b, credits: 1 },
        { start: s, credits: 2 },
      ];
      expect(computeRollingWindow(window, around, 100, now).used).toBe(2);
      expect(computeRollingWindow(window, around, 100, now - 1).used).toBe(3);
    });
  });
});

describe('computeRollingWindow', () => {
  it('is bounded by the exact count and the count over a window one bucket longer', () => {
    fc.assert(
      fc.property(scenarioArb, ({ window, now, events, limit }) => {
        const { durationMs, bucketMs } = QUOTA_WINDOWS[window];
        const { used } = computeRollingWindow(window, bucketsOf(window, events), limit, now);
        expect(used).toBeGreaterThanOrEqual(exactUsed(events, now - durationMs, now));
        expect(used).toBeLessThanOrEqual(exactUsed(events, now - durationMs - bucketMs, now));
      }),
      { numRuns: 1000 },
    );
  });

  it('reports remaining = max(0, limit - used)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ window, now, events, limit }) => {
        const state = computeRollingWindow(window, bucketsOf(window, events), limit, now);
        expect(state.remaining).toBe(Math.max(0, limit - state.used));
      }),
    );
  });

  it('frees credits exactly at nextFreeAt: unchanged one ms before, strictly lower at it', () => {
    fc.assert(
      fc.property(scenarioArb, ({ window, now, events, limit }) => {
        const buckets = bucketsOf(window, events);
        const state = computeRollingWindow(window, buckets, limit, now);
        if (state.used === 0) {
          expect(state.nextFreeAt).toBeNull();
          return;
        }
        const { nextFreeAt } = state;
        if (nextFreeAt === null) throw new Error('nextFreeAt missing while credits are used');
        expect(nextFreeAt).toBeGreaterThan(now);
        expect(computeRollingWindow(window, buckets, limit, nextFreeAt - 1).used).toBe(state.used);
        expect(computeRollingWindow(window, buckets, limit, nextFreeAt).used).toBeLessThan(state.used);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores empty buckets, counts future buckets, and never frees the total window', () => {
    const now = 1_700_006_400_000;
    expect(computeRollingWindow('daily', [{ start: now - 2 * DAY, credits: 5 }], 10, now)).toEqual({
      used: 0,
      remaining: 10,
      nextFreeAt: null,
    });
    expect(
      computeRollingWindow('daily', [{ start: now - MINUTE, credits: 0 }], 10, now).nextFreeAt,
    ).toBeNull();
    expect(computeRollingWindow('daily', [{ start: now + HOUR, credits: 3 }], 10, now).used).toBe(3);
    expect(computeRollingWindow('total', [{ start: 0, credits: 12 }], 10, now)).toEqual({
      used: 12,
      remaining: 0,
      nextFreeAt: null,
    });
  });
});

describe('evaluateQuotas', () => {
  const now = 1_700_006_400_000;
  const usage = (credits: number): UsageByWindow => ({
    total: [{ start: 0, credits }],
    daily: [{ start: bucketStart('daily', now), credits }],
    weekly: [{ start: bucketStart('weekly', now), credits }],
    monthly: [{ start: bucketStart('monthly', now), credits }],
  });

  it.each([
    ['no quotas', {}, 1_000_000, 1, null],
    ['room for the cost', { daily: 10 }, 9, 1, null],
    ['the cost would pass the limit', { daily: 10 }, 10, 1, 'daily'],
    ['a cost larger than what is left', { daily: 10 }, 6, 5, 'daily'],
    ['exactly filling the limit', { daily: 10 }, 5, 5, null],
    ['cost 0 at the limit (a check that consumes nothing)', { daily: 10 }, 10, 0, null],
    ['cost 0 over a lowered limit', { daily: 5 }, 10, 0, 'daily'],
    ['total is checked first', { total: 5, daily: 5, monthly: 5 }, 5, 1, 'total'],
    ['then daily', { daily: 5, weekly: 5, monthly: 5 }, 5, 1, 'daily'],
    ['then weekly', { weekly: 5, monthly: 5 }, 5, 1, 'weekly'],
    ['then monthly', { total: 100, daily: 100, weekly: 100, monthly: 5 }, 5, 1, 'monthly'],
    ['null means unlimited', { total: null, daily: undefined }, 5, 1, null],
  ] as const)('%s', (_name, quotas: QuotaLimits, used, cost, exceeded) => {
    const decision = evaluateQuotas(quotas, usage(used), cost, now);
    expect(decision.admitted).toBe(exceeded === null);
    if (!decision.admitted) expect(decision.exceeded).toBe(exceeded);
  });

  it('reports each configured window before the cost, and omits the others', () => {
    const decision = evaluateQuotas({ daily: 10, monthly: 100 }, usage(4), 3, now);
    expect(decision).toEqual({
      admitted: true,
      windows: {
        daily: { limit: 10, used: 4, remaining: 6, nextFreeAt: bucketStart('daily', now) + MINUTE + DAY },
        monthly: {
          limit: 100,
          used: 4,
          remaining: 96,
          nextFreeAt: bucketStart('monthly', now) + HOUR + 30 * DAY,
        },
      },
    });
  });

  it('treats a window without buckets as unused', () => {
    expect(evaluateQuotas({ weekly: 1 }, {}, 1, now)).toEqual({
      admitted: true,
      windows: { weekly: { limit: 1, used: 0, remaining: 1, nextFreeAt: null } },
    });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects cost %d', (cost) => {
    expect(() => evaluateQuotas({}, {}, cost, now)).toThrow(RangeError);
  });

  it('never admits more than the quota in any exact window (simulated traffic)', () => {
    const requestArb = fc.record({
      gap: fc.oneof(fc.integer({ min: 0, max: 2 * MINUTE }), fc.integer({ min: 0, max: 3 * HOUR })),
      cost: fc.integer({ min: 0, max: 7 }),
    });
    fc.assert(
      fc.property(
        fc.record({ daily: fc.integer({ min: 1, max: 40 }), weekly: fc.integer({ min: 1, max: 80 }) }),
        fc.array(requestArb, { maxLength: 300 }),
        (quotas, requests) => {
          const counter = new BucketedCounter();
          const admitted: UsageEvent[] = [];
          let t = 1_700_000_000_000;
          for (const { gap, cost } of requests) {
            t += gap;
            const usageNow = { daily: counter.buckets('daily'), weekly: counter.buckets('weekly') };
            if (evaluateQuotas(quotas, usageNow, cost, t).admitted && cost > 0) {
              counter.add(t, cost);
              admitted.push({ t, credits: cost });
            }
          }
          // The fullest exact window ends at an admitted event.
          for (const e of admitted) {
            expect(exactUsed(admitted, e.t - DAY, e.t)).toBeLessThanOrEqual(quotas.daily);
            expect(exactUsed(admitted, e.t - 7 * DAY, e.t)).toBeLessThanOrEqual(quotas.weekly);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
