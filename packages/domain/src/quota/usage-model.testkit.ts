import fc from 'fast-check';
import {
  bucketStart,
  QUOTA_WINDOWS,
  type RollingQuotaWindowName,
  type UsageBucket,
} from './rolling-window.js';

/** Shared by the quota tests: the brute-force usage model and its scenario generator. Not built. */

export const TIME = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 } as const;
const { DAY } = TIME;
export const ROLLING: readonly RollingQuotaWindowName[] = ['daily', 'weekly', 'monthly'];

export interface UsageEvent {
  readonly t: number;
  readonly credits: number;
}

/** The brute-force model: every event kept, exact window `(now - durationMs, now]`. */
export function exactUsed(events: readonly UsageEvent[], from: number, now: number): number {
  return events.filter((e) => e.t > from && e.t <= now).reduce((sum, e) => sum + e.credits, 0);
}

export function bucketsOf(window: RollingQuotaWindowName, events: readonly UsageEvent[]): UsageBucket[] {
  const byStart = new Map<number, number>();
  for (const e of events) {
    const start = bucketStart(window, e.t);
    byStart.set(start, (byStart.get(start) ?? 0) + e.credits);
  }
  return [...byStart].map(([start, credits]) => ({ start, credits }));
}

/**
 * A window, an instant `now`, and events at or before `now`: some anywhere in the window and
 * one bucket beyond, some within 2 buckets of the window's far edge, some on bucket boundaries.
 */
export const scenarioArb = fc.constantFrom(...ROLLING).chain((window) => {
  const { durationMs, bucketMs } = QUOTA_WINDOWS[window];
  const nowArb = fc.oneof(
    fc.integer({ min: 0, max: 100 * DAY }).map((n) => 1_700_000_000_000 + n),
    fc.integer({ min: 0, max: 100 }).map((k) => 1_700_006_400_000 + k * bucketMs), // on a boundary
    fc.integer({ min: 0, max: 100 }).map((k) => 1_700_006_400_000 + k * bucketMs - 1),
  );
  const offsetArb = fc.oneof(
    fc.integer({ min: 0, max: durationMs + 3 * bucketMs }),
    fc.integer({ min: durationMs - 2 * bucketMs, max: durationMs + 2 * bucketMs }),
    fc.constantFrom(
      0,
      1,
      durationMs - 1,
      durationMs,
      durationMs + 1,
      durationMs + bucketMs - 1,
      durationMs + bucketMs,
    ),
  );
  const eventArb = (now: number) =>
    fc.record({
      t: fc.oneof(
        offsetArb.map((offset) => now - offset),
        // Exactly on a bucket start or on the last ms of a bucket.
        offsetArb.map((offset) => Math.min(now, bucketStart(window, now - offset))),
        offsetArb.map((offset) => Math.min(now, bucketStart(window, now - offset) + bucketMs - 1)),
      ),
      credits: fc.integer({ min: 1, max: 1000 }),
    });
  return nowArb.chain((now) =>
    fc.record({
      window: fc.constant(window),
      now: fc.constant(now),
      events: fc.array(eventArb(now), { maxLength: 40 }),
      limit: fc.integer({ min: 1, max: 20_000 }),
    }),
  );
});
