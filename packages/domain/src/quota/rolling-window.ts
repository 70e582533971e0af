/**
 * Rolling quota windows (§3): `total` (all time), `daily` (last 24 h), `weekly` (last 7 days),
 * `monthly` (last 30 days); not calendar periods. Usage is kept per bucket (1 minute for
 * daily, 1 hour for weekly and monthly) and this module is the one place that decides which
 * buckets count, so the admin SPA shows exactly what the API enforces.
 *
 * The window rule. The exact window at time `now` is the half-open span
 * `(now - durationMs, now]`. A bucket `[start, start + bucketMs)` counts while any part of it
 * overlaps that span:
 *
 *     start + bucketMs > now - durationMs
 *
 * so a bucket leaves the window at `now = start + bucketMs + durationMs`, once its whole span
 * is older than the window. Consequences, which the tests check against a model that keeps
 * every event:
 * - every event in the exact window is counted (its bucket ends after it), so `used` is never
 *   below the exact count and the API never admits more than the quota in any exact window;
 * - an event is counted at most one bucket longer than the exact window (`used` ≤ the exact
 *   count over `(now - durationMs - bucketMs, now]`): the only imprecision is that credits
 *   free up to one bucket late, which §3 allows.
 * Buckets that start after `now` (another node's clock ahead) are counted too: over-counting
 * is safe, under-counting is not.
 */

/** The four quota windows, in the order §3 checks them. */
export const QUOTA_WINDOW_NAMES = ['total', 'daily', 'weekly', 'monthly'] as const;
/** `total`, `daily`, `weekly` or `monthly`. */
export type QuotaWindowName = (typeof QUOTA_WINDOW_NAMES)[number];
/** The windows that roll (all but `total`). */
export type RollingQuotaWindowName = Exclude<QuotaWindowName, 'total'>;

/** `total`: all time, kept as a single counter (one bucket starting at 0). */
export interface TotalQuotaWindow {
  readonly name: 'total';
  readonly durationMs: null;
  readonly bucketMs: null;
}

/** A rolling window: its length and the bucket granularity its usage is stored at. */
export interface RollingQuotaWindow {
  readonly name: RollingQuotaWindowName;
  readonly durationMs: number;
  readonly bucketMs: number;
}

/** Either kind of window. */
export type QuotaWindow = TotalQuotaWindow | RollingQuotaWindow;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The windows of §3. Bucket sizes are the coarsest §3 allows (1 minute daily, 1 hour weekly
 * and monthly); each divides its duration, so a window spans a whole number of buckets.
 * Stored buckets (`UsageBucket` rows, Redis hashes) use exactly these sizes: changing them
 * needs a data migration.
 */
export const QUOTA_WINDOWS: { readonly total: TotalQuotaWindow } & {
  readonly [W in RollingQuotaWindowName]: RollingQuotaWindow;
} = {
  total: { name: 'total', durationMs: null, bucketMs: null },
  daily: { name: 'daily', durationMs: DAY_MS, bucketMs: MINUTE_MS },
  weekly: { name: 'weekly', durationMs: 7 * DAY_MS, bucketMs: HOUR_MS },
  monthly: { name: 'monthly', durationMs: 30 * DAY_MS, bucketMs: HOUR_MS },
};

/** Credits recorded in one bucket. `start` is a bucket boundary from {@link bucketStart}. */
export interface UsageBucket {
  /** Start of the bucket, ms since the Unix epoch. */
  readonly start: number;
  /** Credits used in the bucket: a non-negative integer. */
  readonly credits: number;
}

/**
 * The start of the bucket of `window` holding time `t` (ms since the epoch): `t` rounded down
 * to a multiple of the bucket size, so all nodes agree on bucket keys without coordination.
 * `total` has a single bucket starting at 0.
 */
export function bucketStart(window: QuotaWindowName, t: number): number {
  const { bucketMs } = QUOTA_WINDOWS[window];
  if (bucketMs === null) return 0;
  return Math.floor(t / bucketMs) * bucketMs;
}

/**
 * Whether a bucket starting at `start` still counts at `now` in `window` (see the module
 * comment for the rule). The single definition shared by {@link computeRollingWindow} and
 * the in-memory counter, so they cannot drift apart.
 */
export function bucketCounts(window: QuotaWindowName, start: number, now: number): boolean {
  const spec = QUOTA_WINDOWS[window];
  if (spec.durationMs === null) return true;
  return start + spec.bucketMs > now - spec.durationMs;
}

/** What a window looks like at one instant. */
export interface RollingWindow {
  /** Credits counted in the window (never below the exact count). */
  readonly used: number;
  /** `max(0, limit - used)`: credits a request may still spend. */
  readonly remaining: number;
  /**
   * When the oldest counted bucket leaves the window (ms since the epoch), after which `used`
   * is strictly lower if nothing new is recorded; `null` when nothing is used or for `total`,
   * which never frees up.
   */
  readonly nextFreeAt: number | null;
}

/**
 * `used`, `remaining` and `nextFreeAt` of `window` at `now`, from its usage buckets (at the
 * window's bucket granularity, as written with {@link bucketStart}; finer buckets are also
 * safe). Pure: the API calls it to decide and the SPA to display.
 */
export function computeRollingWindow(
  window: QuotaWindowName,
  buckets: readonly UsageBucket[],
  limit: number,
  now: number,
): RollingWindow {
  const spec = QUOTA_WINDOWS[window];
  let used = 0;
  let oldest: number | null = null;
  for (const bucket of buckets) {
    if (!(bucket.credits > 0) || !bucketCounts(window, bucket.start, now)) continue;
    used += bucket.credits;
    if (oldest === null || bucket.start < oldest) oldest = bucket.start;
  }
  const nextFreeAt =
    spec.durationMs === null || oldest === null ? null : oldest + spec.bucketMs + spec.durationMs;
  return { used, remaining: Math.max(0, limit - used), nextFreeAt };
}

/**
 * A key's quotas: each window is optional (`null`/absent = unlimited) and, when set, a
 * positive integer number of credits (§2).
 */
export type QuotaLimits = {
  readonly [W in QuotaWindowName]?: number | null | undefined;
};

/** Usage buckets per window, as loaded for one key. A missing window means no usage. */
export type UsageByWindow = {
  readonly [W in QuotaWindowName]?: readonly UsageBucket[] | undefined;
};

/** One configured window in a {@link QuotaDecision}: its limit and state before this request. */
export interface QuotaWindowStatus extends RollingWindow {
  readonly limit: number;
}

/** Status of every configured window; unconfigured windows are absent. */
export type QuotaStatusByWindow = {
  readonly [W in QuotaWindowName]?: QuotaWindowStatus;
};

/**
 * Result of {@link evaluateQuotas}. `windows` describes each configured window before this
 * request's cost is added (add `cost` to `used` after recording an admitted request).
 */
export type QuotaDecision =
  | { readonly admitted: true; readonly windows: QuotaStatusByWindow }
  | { readonly admitted: false; readonly exceeded: QuotaWindowName; readonly windows: QuotaStatusByWindow };

/**
 * Decides whether a request costing `cost` credits fits every configured quota at `now`
 * (§3): admitted iff `used + cost ≤ limit` in each window; otherwise the first exceeded
 * window in the order total, daily, weekly, monthly is reported. A cost of 0 is a check that
 * consumes nothing: it fails only when a window is already over its limit (e.g. the limit
 * was lowered). The decision is only as exact as the `usageByWindow` snapshot: the caller
 * makes check-and-record atomic.
 */
export function evaluateQuotas(
  quotas: QuotaLimits,
  usageByWindow: UsageByWindow,
  cost: number,
  now: number,
): QuotaDecision {
  if (!Number.isFinite(cost) || cost < 0)
    throw new RangeError('evaluateQuotas: cost must be a non-negative number');
  const windows: { [W in QuotaWindowName]?: QuotaWindowStatus } = {};
  let exceeded: QuotaWindowName | null = null;
  for (const name of QUOTA_WINDOW_NAMES) {
    const limit = quotas[name];
    if (limit === null || limit === undefined) continue;
    const state = computeRollingWindow(name, usageByWindow[name] ?? [], limit, now);
    windows[name] = { limit, ...state };
    if (exceeded === null && state.used + cost > limit) exceeded = name;
  }
  return exceeded === null ? { admitted: true, windows } : { admitted: false, exceeded, windows };
}
