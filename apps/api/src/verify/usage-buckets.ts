import type { QuotaWindowName } from '@keysmith/domain';

/**
 * Usage buckets as they are persisted (minute, hour, total) and the pure arithmetic over them,
 * shared by the usage store, the counters that resume from it and the usage reads.
 */

export type Granularity = 'minute' | 'hour' | 'total';

/** Persisted usage of one key: the buckets a counter needs to resume after a restart. */
export interface PersistedUsage {
  minute: { start: number; credits: number }[];
  hour: { start: number; credits: number }[];
  total: number;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export function bucketOf(granularity: Granularity, t: number): number {
  if (granularity === 'total') return 0;
  const size = granularity === 'minute' ? MINUTE : HOUR;
  return Math.floor(t / size) * size;
}

/** Which persisted granularity backs each quota window. */
export const GRANULARITY_OF: Record<QuotaWindowName, Granularity> = {
  total: 'total',
  daily: 'minute',
  weekly: 'hour',
  monthly: 'hour',
};

/** Hour buckets and total derived from minute buckets. */
export function rollUp(minutes: Map<number, number>): { hours: Map<number, number>; total: number } {
  const hours = new Map<number, number>();
  let total = 0;
  for (const [start, credits] of minutes) {
    const hour = bucketOf('hour', start);
    hours.set(hour, (hours.get(hour) ?? 0) + credits);
    total += credits;
  }
  return { hours, total };
}

/** The sum of two usages, bucket by bucket. */
export function mergeUsage(a: PersistedUsage, b: PersistedUsage): PersistedUsage {
  const add = (x: PersistedUsage['minute'], y: PersistedUsage['minute']) => {
    const byStart = new Map<number, number>();
    for (const bucket of [...x, ...y])
      byStart.set(bucket.start, (byStart.get(bucket.start) ?? 0) + bucket.credits);
    return [...byStart].map(([start, credits]) => ({ start, credits }));
  };
  return { minute: add(a.minute, b.minute), hour: add(a.hour, b.hour), total: a.total + b.total };
}
