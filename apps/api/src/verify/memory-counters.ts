import {
  pickLeastRoom,
  type RateLimitCaps,
  type RateLimitDecision,
  SlidingWindowLimiter,
  tryAdmitAll,
} from '@keysmith/domain';
import {
  type Admission,
  type AdmissionResult,
  blockSubject,
  type Counters,
  type IpBlockPolicy,
  type QuotaCheck,
  type QuotaOutcome,
  type RateCheck,
  type Sync,
} from './counters.js';
import { evaluateKeyUsage, type KeyUsage, keyUsageFrom, quotaTag } from './quota-evaluation.js';
import type { PersistedUsage } from './usage-buckets.js';

/**
 * Exact counters for one process (the embedded default). Every check-and-record runs without
 * an `await` in between, so it is atomic on Node's single thread, and answers synchronously:
 * the verification pipeline does not wait a microtask for it. Quota state is seeded once per
 * key from the persisted buckets (`loadUsage`, the only asynchronous step), then kept here;
 * admitted credits are persisted in batches by the caller.
 */
export class MemoryCounters implements Counters {
  private readonly orgLimiters = new Map<string, SlidingWindowLimiter>();
  private readonly keyLimiters = new Map<string, SlidingWindowLimiter>();
  private readonly usage = new Map<string, { tag: string; usage: KeyUsage | Promise<KeyUsage> }>();
  private readonly failures = new Map<string, number[]>();
  private readonly blocks = new Map<string, number>();

  constructor(
    private readonly loadUsage: (keyId: string, now: number) => Promise<PersistedUsage>,
    private readonly ipPolicy: IpBlockPolicy,
  ) {}

  private limiter(
    map: Map<string, SlidingWindowLimiter>,
    id: string,
    caps: RateLimitCaps,
  ): SlidingWindowLimiter {
    let limiter = map.get(id);
    if (limiter === undefined || !limiter.hasCaps(caps)) {
      // A plan or override change starts a fresh log: the new caps apply from now on.
      limiter = new SlidingWindowLimiter(caps);
      map.set(id, limiter);
    }
    return limiter;
  }

  admit(a: Admission): Sync<AdmissionResult> {
    if (a.scopedIp !== null) {
      const blockedUntil = this.blockOf(blockSubject(a.organizationId, a.scopedIp), a.now);
      if (blockedUntil !== null) return { blockedUntil, rate: null, planRate: null, quota: null };
    }
    const org = this.limiter(this.orgLimiters, a.organizationId, a.planCaps);
    const key = a.keyCaps ? this.limiter(this.keyLimiters, a.keyId, a.keyCaps) : null;
    if (a.quotas === null) return this.decideRate(a, org, key, null);
    // Quota state first (it may need loading): the rate limits are then decided and recorded
    // in the same synchronous step as the quota charge.
    const usage = this.keyUsage(a.keyId, a.now, quotaTag(a.quotas));
    if (usage instanceof Promise) return usage.then((loaded) => this.decideRate(a, org, key, loaded));
    return this.decideRate(a, org, key, usage);
  }

  private decideRate(
    a: Admission,
    org: SlidingWindowLimiter,
    key: SlidingWindowLimiter | null,
    usage: KeyUsage | null,
  ): AdmissionResult {
    let rate: RateLimitDecision;
    let planRate: RateLimitDecision;
    if (a.mode === 'peek') {
      planRate = org.peek(a.now);
      rate = key ? pickLeastRoom([planRate, key.peek(a.now)]) : planRate;
    } else if (key === null) {
      rate = org.tryAdmit(a.now);
      planRate = rate;
    } else {
      rate = tryAdmitAll([org, key], a.now);
      planRate = org.peek(a.now);
    }
    let quota: QuotaOutcome | null = null;
    if (usage !== null && a.quotas !== null && (a.mode === 'peek' || rate.admitted)) {
      const check = {
        organizationId: a.organizationId,
        keyId: a.keyId,
        quotas: a.quotas,
        cost: a.cost,
        now: a.now,
      };
      quota = evaluateKeyUsage(usage, check, a.mode === 'admit');
    }
    return { blockedUntil: null, rate, planRate, quota };
  }

  /** The rate limits alone (tests, the Redis fallback). */
  async admitRate(check: RateCheck): Promise<RateLimitDecision> {
    const result = await this.admit({ ...check, scopedIp: null, mode: 'admit', quotas: null, cost: 0 });
    if (!result.rate) throw new Error('no rate decision');
    return result.rate;
  }

  async peekRate(check: RateCheck): Promise<RateLimitDecision> {
    const result = await this.admit({ ...check, scopedIp: null, mode: 'peek', quotas: null, cost: 0 });
    if (!result.rate) throw new Error('no rate decision');
    return result.rate;
  }

  /**
   * A key's usage, loaded once per quota configuration: a key whose quotas were removed is not
   * counted here meanwhile (its credits go to the usage store only), so a configuration change
   * reloads from the persisted usage (the caller's loader includes unflushed credits).
   */
  private keyUsage(keyId: string, now: number, tag: string): KeyUsage | Promise<KeyUsage> {
    const existing = this.usage.get(keyId);
    if (existing && existing.tag === tag) return existing.usage;
    const loading = this.loadUsage(keyId, now).then((persisted) => {
      const usage = keyUsageFrom(persisted);
      if (this.usage.get(keyId) === entry) entry.usage = usage;
      return usage;
    });
    const entry: { tag: string; usage: KeyUsage | Promise<KeyUsage> } = { tag, usage: loading };
    this.usage.set(keyId, entry);
    loading.catch(() => {
      if (this.usage.get(keyId) === entry) this.usage.delete(keyId);
    });
    return loading;
  }

  async consumeQuota(check: QuotaCheck): Promise<QuotaOutcome> {
    const usage = await this.keyUsage(check.keyId, check.now, quotaTag(check.quotas));
    return evaluateKeyUsage(usage, check, true);
  }

  async peekQuota(check: QuotaCheck): Promise<QuotaOutcome> {
    const usage = await this.keyUsage(check.keyId, check.now, quotaTag(check.quotas));
    return evaluateKeyUsage(usage, check, false);
  }

  private blockOf(subject: string, now: number): number | null {
    const until = this.blocks.get(subject);
    if (until === undefined) return null;
    if (until > now) return until;
    this.blocks.delete(subject);
    return null;
  }

  knownBlock(subject: string, now: number): number | null {
    return this.blockOf(subject, now);
  }

  ipBlockedUntil(subject: string, now: number): number | null {
    return this.blockOf(subject, now);
  }

  recordAuthFailure(subject: string, now: number): number | null {
    const since = now - this.ipPolicy.failureWindowMs;
    const times = (this.failures.get(subject) ?? []).filter((t) => t > since);
    times.push(now);
    if (times.length >= this.ipPolicy.maxFailures) {
      this.failures.delete(subject);
      const until = now + this.ipPolicy.blockMs;
      this.blocks.set(subject, until);
      return until;
    }
    this.failures.set(subject, times);
    if (this.failures.size > 100_000) {
      for (const [key, list] of this.failures) if ((list.at(-1) ?? 0) <= since) this.failures.delete(key);
    }
    return null;
  }

  async unblockIp(subject: string): Promise<void> {
    this.blocks.delete(subject);
    this.failures.delete(subject);
  }

  async close(): Promise<void> {}
}
