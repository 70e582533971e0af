/**
 * The rate-limit admission algorithm of §3, pure (no clock, no timers: `now` is passed in).
 *
 * The guarantee: in any span of 1 second at most `perSecond`, and in any span of 60 seconds
 * at most `perMinute`, requests are admitted. A span of length W is a half-open interval
 * `(a, a + W]` (with millisecond timestamps: W distinct milliseconds). The decision is the
 * exact sliding log: a request at `t` is admitted iff, for each window, fewer than `cap`
 * admissions lie in `(t - W, t]`.
 *
 * Why that is safe: take any span `(a, a + W]` and its latest admission `t`. Then
 * `a ≥ t - W`, so the span's admissions all lie in `(t - W, t]`, which held fewer than `cap`
 * before `t` was admitted: at most `cap` with it. Why it is maximal: a request is refused only
 * when `(t - W, t]` already holds `cap` admissions, so admitting it would put `cap + 1` in
 * that span. (Fixed windows and token buckets give up one or the other.)
 *
 * Compact: only the `cap` most recent admission times per window are kept (a ring buffer),
 * since the `cap`-th most recent admission alone decides: admit iff it is at or before
 * `t - W`. Refused requests are not recorded, so a client hammering a full limiter does not
 * extend its own lockout.
 */

/** The two rate-limit windows: `second` (1000 ms) and `minute` (60 000 ms). */
export type RateLimitWindowName = 'second' | 'minute';

/** Length of each rate-limit window in ms. */
export const RATE_LIMIT_WINDOW_MS: { readonly [W in RateLimitWindowName]: number } = {
  second: 1000,
  minute: 60_000,
};

/** Caps of one limiter: positive integers (a plan's, or a key's stricter override). */
export interface RateLimitCaps {
  readonly perSecond: number;
  readonly perMinute: number;
}

/** One window of a limiter at the instant of a decision. */
export interface RateLimitWindowStatus {
  /** The cap of the window. */
  readonly limit: number;
  /** Admissions still possible now in the window (after this admission, for `tryAdmit`). */
  readonly remaining: number;
  /**
   * When `remaining` next grows: the oldest admission in the window plus its length (ms since
   * the epoch); `now` when the window holds no admission.
   */
  readonly resetAt: number;
}

/**
 * A rate-limit decision. `limit`, `remaining` and `resetAt` are those of the per-minute window,
 * the values §3 puts in the `RateLimit-*` headers (`resetAt` in ms: the headers carry seconds).
 */
export interface RateLimitDecision {
  readonly admitted: boolean;
  /**
   * Which window refused (for the §3 message), or `null` when admitted. When both are full,
   * the one that frees up later (it is the one worth telling the client about); on a tie, `minute`.
   */
  readonly exceeded: RateLimitWindowName | null;
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: number;
  /** 0 when admitted; otherwise how long until a request would be admitted (`Retry-After`, in ms). */
  readonly retryAfterMs: number;
  readonly windows: { readonly [W in RateLimitWindowName]: RateLimitWindowStatus };
}

/**
 * What one window of a limiter holds at the instant of a decision, before the request: the
 * admissions inside the window, the oldest of them, and when one more would fit (`-Infinity`
 * while the window has room). Both the in-memory limiter and the Redis script produce these
 * numbers; {@link rateDecision} turns them into the decision, so the two cannot disagree.
 */
export interface WindowSnapshot {
  count: number;
  /** The oldest admission inside the window (ms), or `null` when it holds none. */
  oldest: number | null;
  /** When the window next has room: the `cap`-th most recent admission plus the window length. */
  freeAt: number;
}

/**
 * The decision of one limiter from its two windows' snapshots at `now` (the arithmetic of §3,
 * in one place): admitted iff both windows have room; `taken` is 1 when the admission is being
 * recorded (the windows then describe the state after it), else 0. When refused, `exceeded` is
 * the window that frees up later (`minute` on a tie) and `retryAfterMs` when one more would fit.
 */
export function rateDecision(
  caps: RateLimitCaps,
  second: WindowSnapshot,
  minute: WindowSnapshot,
  now: number,
  taken: 0 | 1,
): RateLimitDecision {
  const admitted = second.count < caps.perSecond && minute.count < caps.perMinute;
  const took = admitted ? taken : 0;
  const secondStatus: RateLimitWindowStatus = windowStatus(
    caps.perSecond,
    RATE_LIMIT_WINDOW_MS.second,
    second,
    now,
    took,
  );
  const minuteStatus: RateLimitWindowStatus = windowStatus(
    caps.perMinute,
    RATE_LIMIT_WINDOW_MS.minute,
    minute,
    now,
    took,
  );
  let exceeded: RateLimitWindowName | null = null;
  let retryAfterMs = 0;
  if (!admitted) {
    const secondFree = second.count < caps.perSecond ? Number.NEGATIVE_INFINITY : second.freeAt;
    const minuteFree = minute.count < caps.perMinute ? Number.NEGATIVE_INFINITY : minute.freeAt;
    exceeded = minuteFree >= secondFree ? 'minute' : 'second';
    retryAfterMs = Math.max(0, Math.max(secondFree, minuteFree) - now);
  }
  return {
    admitted,
    exceeded,
    limit: minuteStatus.limit,
    remaining: minuteStatus.remaining,
    resetAt: minuteStatus.resetAt,
    retryAfterMs,
    windows: { second: secondStatus, minute: minuteStatus },
  };
}

function windowStatus(
  limit: number,
  windowMs: number,
  seen: WindowSnapshot,
  now: number,
  taken: 0 | 1,
): RateLimitWindowStatus {
  const oldest = seen.oldest ?? (taken === 1 ? now : null);
  return {
    limit,
    remaining: Math.max(0, limit - seen.count - taken),
    resetAt: oldest === null ? now : oldest + windowMs,
  };
}

/**
 * The most recent admission times of one window, oldest first, in a ring buffer that grows on
 * demand up to `limit` entries (an idle limiter with a large cap stays small).
 */
class AdmissionLog {
  private times: Float64Array;
  private head = 0;
  private size = 0;
  /** Reused by {@link snapshot}: its readers consume it at once (no allocation per decision). */
  private readonly scratch: WindowSnapshot = { count: 0, oldest: null, freeAt: Number.NEGATIVE_INFINITY };

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.times = new Float64Array(Math.min(limit, 64));
  }

  /** The k-th stored time, oldest first (0 ≤ k < size). */
  private at(k: number): number {
    // A compare instead of `%`: this runs in the binary search of every decision.
    let i = this.head + k;
    if (i >= this.times.length) i -= this.times.length;
    return this.times[i] ?? Number.NEGATIVE_INFINITY;
  }

  /** Index (oldest first) of the first stored admission inside `(t - windowMs, t]`. */
  private firstInWindow(t: number): number {
    const boundary = t - this.windowMs;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) > boundary) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * This window at `t` (all stored times are ≤ t), in an object the log reuses: read it before
   * the next call (rateDecision does; it keeps nothing of it).
   */
  snapshot(t: number): WindowSnapshot {
    const first = this.firstInWindow(t);
    const count = this.size - first;
    const out = this.scratch;
    out.count = count;
    out.oldest = count === 0 ? null : this.at(first);
    out.freeAt = this.size < this.limit ? Number.NEGATIVE_INFINITY : this.at(0) + this.windowMs;
    return out;
  }

  push(t: number): void {
    if (this.size === this.limit) {
      this.times[this.head] = t;
      this.head = (this.head + 1) % this.limit;
      return;
    }
    if (this.size === this.times.length) this.grow();
    this.times[(this.head + this.size) % this.times.length] = t;
    this.size++;
  }

  private grow(): void {
    const next = new Float64Array(Math.min(this.limit, Math.max(64, this.times.length * 2)));
    for (let k = 0; k < this.size; k++) next[k] = this.at(k);
    this.times = next;
    this.head = 0;
  }
}

function assertCap(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`SlidingWindowLimiter: ${name} must be a positive integer`);
  }
}

/**
 * An exact sliding-log limiter with a per-second and a per-minute cap (see the module
 * comment for the guarantee). One instance per subject: an organization (plan caps,
 * account-wide) or a key (its override). Memory: at most `perSecond + perMinute` numbers.
 *
 * Time never runs backwards for a limiter: a `now` earlier than the latest admission is
 * treated as that admission's time, so a clock step back cannot admit more than the caps.
 */
export class SlidingWindowLimiter {
  /** The caps this limiter enforces (one object for its lifetime: no allocation per call). */
  readonly caps: RateLimitCaps;
  private readonly second: AdmissionLog;
  private readonly minute: AdmissionLog;
  private latest = Number.NEGATIVE_INFINITY;

  constructor(caps: RateLimitCaps) {
    assertCap('perSecond', caps.perSecond);
    assertCap('perMinute', caps.perMinute);
    this.caps = { perSecond: caps.perSecond, perMinute: caps.perMinute };
    this.second = new AdmissionLog(caps.perSecond, RATE_LIMIT_WINDOW_MS.second);
    this.minute = new AdmissionLog(caps.perMinute, RATE_LIMIT_WINDOW_MS.minute);
  }

  /** Whether this limiter enforces exactly these caps (no allocation). */
  hasCaps(caps: RateLimitCaps): boolean {
    return this.caps.perSecond === caps.perSecond && this.caps.perMinute === caps.perMinute;
  }

  /** What {@link tryAdmit} would decide at `now`, without recording anything. */
  peek(now: number): RateLimitDecision {
    return this.decide(now, false);
  }

  /** Decides on a request at `now` and records it when admitted. */
  tryAdmit(now: number): RateLimitDecision {
    return this.decide(now, true);
  }

  /** Whether a request at `now` would be admitted (no decision object built). */
  wouldAdmit(now: number): boolean {
    const t = Math.max(now, this.latest);
    return (
      this.second.snapshot(t).count < this.second.limit && this.minute.snapshot(t).count < this.minute.limit
    );
  }

  private decide(now: number, record: boolean): RateLimitDecision {
    if (Number.isNaN(now)) throw new RangeError('SlidingWindowLimiter: now must be a number');
    const t = Math.max(now, this.latest);
    const decision = rateDecision(
      this.caps,
      this.second.snapshot(t),
      this.minute.snapshot(t),
      t,
      record ? 1 : 0,
    );
    if (decision.admitted && record) {
      this.second.push(t);
      this.minute.push(t);
      this.latest = t;
    }
    // Retry-After counts from the caller's clock, not from the (possibly later) latest admission.
    return t === now || decision.admitted
      ? decision
      : { ...decision, retryAfterMs: Math.max(0, decision.retryAfterMs + t - now) };
  }
}

/**
 * Admits a request only if every limiter admits it (e.g. the organization's plan limiter and
 * the key's override), recording it in all of them or in none: checking each with `tryAdmit`
 * in turn would spend the organization's budget on requests the key's limiter then refuses.
 * The result carries the headers' values of the tightest limiter (lowest per-minute
 * `remaining`) when admitted, and the refusing limiter with the longest wait when refused.
 * At least one limiter is required.
 */
export function tryAdmitAll(limiters: readonly SlidingWindowLimiter[], now: number): RateLimitDecision {
  const [only] = limiters;
  if (limiters.length === 1 && only !== undefined) return only.tryAdmit(now);
  if (limiters.every((limiter) => limiter.wouldAdmit(now))) {
    return pickTightest(limiters.map((limiter) => limiter.tryAdmit(now)));
  }
  return pickRefusal(limiters.map((limiter) => limiter.peek(now)).filter((decision) => !decision.admitted));
}

/** The decision whose headers §3 shows when every limiter admitted: least per-minute room, then smallest limit. */
export function pickTightest(decisions: readonly RateLimitDecision[]): RateLimitDecision {
  return pick(
    decisions,
    (a, b) => a.remaining < b.remaining || (a.remaining === b.remaining && a.limit < b.limit),
  );
}

/** The refusal to answer with when limiters refused: the one that waits longest. */
export function pickRefusal(decisions: readonly RateLimitDecision[]): RateLimitDecision {
  return pick(decisions, (a, b) => a.retryAfterMs > b.retryAfterMs);
}

/** The limiter with the least room left (peeked state, for headers). */
export function pickLeastRoom(decisions: readonly RateLimitDecision[]): RateLimitDecision {
  return pick(decisions, (a, b) => a.remaining < b.remaining);
}

function pick(
  decisions: readonly RateLimitDecision[],
  better: (a: RateLimitDecision, b: RateLimitDecision) => boolean,
): RateLimitDecision {
  let best: RateLimitDecision | undefined;
  for (const decision of decisions) {
    if (best === undefined || better(decision, best)) best = decision;
  }
  if (best === undefined) throw new RangeError('tryAdmitAll: at least one limiter is required');
  return best;
}
