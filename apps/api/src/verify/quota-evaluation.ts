import {
  BucketedCounter,
  computeRollingWindow,
  QUOTA_WINDOW_NAMES,
  type QuotaLimits,
  type QuotaStatusByWindow,
  type QuotaWindowName,
} from '@keysmith/domain';
import type { QuotaCheck, QuotaOutcome } from './counters.js';
import type { PersistedUsage } from './usage-buckets.js';

/** A key's usage: one counter per persisted granularity, so each can be seeded from its own rows. */
export interface KeyUsage {
  daily: BucketedCounter;
  long: BucketedCounter;
  total: BucketedCounter;
}

function counterFor(usage: KeyUsage, window: QuotaWindowName): BucketedCounter {
  return window === 'daily' ? usage.daily : window === 'total' ? usage.total : usage.long;
}

/** A key's quota configuration as a string: counters re-synchronise a key's usage when it changes. */
export function quotaTag(quotas: QuotaLimits): string {
  return QUOTA_WINDOW_NAMES.map((w) => quotas[w] ?? '-').join(',');
}

/** In-memory counters holding persisted usage (minute buckets → daily, hour buckets → weekly/monthly). */
export function keyUsageFrom(persisted: PersistedUsage): KeyUsage {
  const usage: KeyUsage = {
    daily: new BucketedCounter(['daily']),
    long: new BucketedCounter(['weekly', 'monthly']),
    total: new BucketedCounter(['total']),
  };
  for (const b of persisted.minute) usage.daily.add(b.start, b.credits);
  for (const b of persisted.hour) usage.long.add(b.start, b.credits);
  if (persisted.total > 0) usage.total.add(0, persisted.total);
  return usage;
}

/**
 * The §3 quota decision on a key's usage: admitted only if every configured window has room for
 * the cost; with `consume`, an admitted cost is added to every counter. `windows` describes each
 * configured window after the charge.
 */
export function evaluateKeyUsage(usage: KeyUsage, check: QuotaCheck, consume: boolean): QuotaOutcome {
  const windows: { [W in QuotaWindowName]?: QuotaStatusByWindow[W] } = {};
  let exceeded: QuotaWindowName | null = null;
  for (const name of QUOTA_WINDOW_NAMES) {
    const limit = check.quotas[name];
    if (limit === null || limit === undefined) continue;
    const used = counterFor(usage, name).used(name, check.now);
    if (exceeded === null && used + check.cost > limit) exceeded = name;
  }
  const admitted = exceeded === null;
  if (admitted && consume && check.cost > 0) {
    usage.daily.add(check.now, check.cost);
    usage.long.add(check.now, check.cost);
    usage.total.add(check.now, check.cost);
  }
  for (const name of QUOTA_WINDOW_NAMES) {
    const limit = check.quotas[name];
    if (limit === null || limit === undefined) continue;
    const buckets = counterFor(usage, name).buckets(name);
    windows[name] = { limit, ...computeRollingWindow(name, buckets, limit, check.now) };
  }
  return { admitted, exceeded, windows };
}
