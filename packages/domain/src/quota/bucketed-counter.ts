import {
  bucketCounts,
  bucketStart,
  QUOTA_WINDOW_NAMES,
  QUOTA_WINDOWS,
  type QuotaWindowName,
  type UsageBucket,
} from './rolling-window.js';

interface MutableBucket {
  readonly start: number;
  credits: number;
}

/** One window's buckets, sorted by start, and the sum of their credits. */
interface WindowUsage {
  readonly buckets: MutableBucket[];
  sum: number;
}

/**
 * In-memory usage of one key (or any counted subject) per quota window: the reference
 * implementation of the bucket layout of {@link QUOTA_WINDOWS}, used by the API when it runs
 * without Redis. A plain data structure: no timers, no clock; times are passed in.
 *
 * Memory is bounded by the buckets of one window span (at most 1441 daily, 169 weekly, 721
 * monthly, 1 total): buckets that have left their window are pruned as time moves on.
 * Time is assumed to run forward: `used(window, now)` is exact-or-over for any `now` at or
 * after the latest recorded event; asking about an earlier instant may miss pruned buckets.
 */
export class BucketedCounter {
  private readonly byWindow = new Map<QuotaWindowName, WindowUsage>();

  /** @param windows the windows to keep; all four by default. */
  constructor(windows: readonly QuotaWindowName[] = QUOTA_WINDOW_NAMES) {
    for (const window of windows) this.byWindow.set(window, { buckets: [], sum: 0 });
  }

  /**
   * Records `credits` (a non-negative safe integer, 1 by default: integers keep the running
   * sums exact) used at time `t` in every kept window, then prunes buckets that left their
   * window as of `t`. Amortised O(1) for events in time order; O(buckets) at worst.
   */
  add(t: number, credits = 1): void {
    if (!Number.isFinite(t)) throw new RangeError('BucketedCounter.add: t must be finite');
    if (!Number.isSafeInteger(credits) || credits < 0) {
      throw new RangeError('BucketedCounter.add: credits must be a non-negative safe integer');
    }
    if (credits === 0) return;
    for (const [window, usage] of this.byWindow) {
      addToBuckets(usage.buckets, bucketStart(window, t), credits);
      usage.sum += credits;
      pruneBuckets(window, usage, t);
    }
  }

  /**
   * Credits counted in `window` at `now`, by the rule of `computeRollingWindow` (shared
   * predicate {@link bucketCounts}); 0 for a window this counter does not keep. Buckets are
   * sorted and a bucket stops counting once its start is far enough behind `now`, so the ones
   * that no longer count form a prefix: the answer is the running sum minus that prefix
   * (amortised O(1) when `add` keeps pruning; O(buckets) at worst). Does not modify the counter.
   */
  used(window: QuotaWindowName, now: number): number {
    const usage = this.byWindow.get(window);
    if (usage === undefined) return 0;
    let used = usage.sum;
    for (const bucket of usage.buckets) {
      if (bucketCounts(window, bucket.start, now)) break;
      used -= bucket.credits;
    }
    return used;
  }

  /**
   * A copy of the buckets of `window`, oldest first, for `computeRollingWindow`, usage charts
   * or persisting. May still hold buckets that left the window since the last `add`/`prune`.
   */
  buckets(window: QuotaWindowName): UsageBucket[] {
    return (this.byWindow.get(window)?.buckets ?? []).map(({ start, credits }) => ({ start, credits }));
  }

  /** Drops every bucket that has left its window at `now`, for callers that query without adding. */
  prune(now: number): void {
    for (const [window, usage] of this.byWindow) pruneBuckets(window, usage, now);
  }
}

function addToBuckets(buckets: MutableBucket[], start: number, credits: number): void {
  // Events almost always land in the newest bucket: search from the end.
  let i = buckets.length;
  while (i > 0) {
    const bucket = buckets[i - 1];
    if (bucket === undefined || bucket.start < start) break;
    if (bucket.start === start) {
      bucket.credits += credits;
      return;
    }
    i--;
  }
  buckets.splice(i, 0, { start, credits });
}

function pruneBuckets(window: QuotaWindowName, usage: WindowUsage, now: number): void {
  let expired = 0;
  for (const bucket of usage.buckets) {
    if (bucketCounts(window, bucket.start, now)) break;
    usage.sum -= bucket.credits;
    expired++;
  }
  if (expired > 0) usage.buckets.splice(0, expired);
}
