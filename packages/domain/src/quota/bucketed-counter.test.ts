import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketedCounter } from './bucketed-counter.js';
import { computeRollingWindow, QUOTA_WINDOWS } from './rolling-window.js';
import { exactUsed, scenarioArb, TIME } from './usage-model.testkit.js';

const { MINUTE, HOUR, DAY } = TIME;

describe('BucketedCounter', () => {
  it('matches computeRollingWindow over its own buckets and the model bounds, whatever the add order', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), ({ window, now, events, limit }, sorted) => {
        const counter = new BucketedCounter();
        const ordered = sorted ? [...events].sort((a, b) => a.t - b.t) : events;
        for (const e of ordered) counter.add(e.t, e.credits);
        const { durationMs, bucketMs } = QUOTA_WINDOWS[window];
        const used = counter.used(window, now);
        expect(used).toBe(computeRollingWindow(window, counter.buckets(window), limit, now).used);
        expect(used).toBeGreaterThanOrEqual(exactUsed(events, now - durationMs, now));
        expect(used).toBeLessThanOrEqual(exactUsed(events, now - durationMs - bucketMs, now));
        expect(counter.used('total', now)).toBe(exactUsed(events, Number.NEGATIVE_INFINITY, now));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps buckets sorted and merged', () => {
    const counter = new BucketedCounter(['daily']);
    for (const t of [3 * MINUTE + 5, MINUTE, 3 * MINUTE, 2 * MINUTE + 1, MINUTE + 59_999]) counter.add(t, 1);
    expect(counter.buckets('daily')).toEqual([
      { start: MINUTE, credits: 2 },
      { start: 2 * MINUTE, credits: 1 },
      { start: 3 * MINUTE, credits: 2 },
    ]);
  });

  it('prunes buckets that left the window, so memory stays bounded', () => {
    const counter = new BucketedCounter();
    const start = 1_700_006_400_000;
    for (let t = start; t < start + 61 * DAY; t += MINUTE) counter.add(t);
    expect(counter.buckets('daily').length).toBeLessThanOrEqual(DAY / MINUTE + 1);
    expect(counter.buckets('weekly').length).toBeLessThanOrEqual((7 * DAY) / HOUR + 1);
    expect(counter.buckets('monthly').length).toBeLessThanOrEqual((30 * DAY) / HOUR + 1);
    expect(counter.buckets('total')).toEqual([{ start: 0, credits: 61 * 24 * 60 }]);
  });

  it('prune(now) drops what left the window without adding', () => {
    const counter = new BucketedCounter(['daily']);
    counter.add(0, 5);
    counter.prune(DAY + MINUTE - 1);
    expect(counter.buckets('daily')).toHaveLength(1);
    counter.prune(DAY + MINUTE);
    expect(counter.buckets('daily')).toEqual([]);
  });

  it('answers 0 for a window it does not keep, ignores zero credits, rejects bad input', () => {
    const counter = new BucketedCounter(['daily']);
    counter.add(1000, 0);
    expect(counter.buckets('daily')).toEqual([]);
    counter.add(1000, 2);
    expect(counter.used('weekly', 1000)).toBe(0);
    expect(counter.used('daily', 1000)).toBe(2);
    expect(() => counter.add(1000, -1)).toThrow(RangeError);
    expect(() => counter.add(Number.NaN, 1)).toThrow(RangeError);
    expect(() => counter.add(1000, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => counter.add(1000, 1.5)).toThrow(RangeError);
  });

  it('used() only reads: asking about a later instant does not drop buckets', () => {
    const counter = new BucketedCounter(['daily']);
    counter.add(0, 3);
    counter.add(DAY, 4);
    expect(counter.used('daily', 3 * DAY)).toBe(0);
    expect(counter.used('daily', DAY)).toBe(7);
    expect(counter.used('daily', DAY + MINUTE)).toBe(4);
    expect(counter.buckets('daily')).toHaveLength(2);
  });

  it('returns copies of its buckets', () => {
    const counter = new BucketedCounter(['daily']);
    counter.add(0, 1);
    const [bucket] = counter.buckets('daily');
    if (bucket) (bucket as { credits: number }).credits = 99;
    expect(counter.used('daily', 0)).toBe(1);
  });
});
