import {
  type RateLimitCaps,
  type RateLimitDecision,
  SlidingWindowLimiter,
  tryAdmitAll,
} from '@keysmith/domain';
import type { Counters, IpBlockPolicy, QuotaCheck, QuotaOutcome, RateCheck } from './counters.js';
import { evaluateKeyUsage, type KeyUsage, keyUsageFrom, quotaTag } from './quota-evaluation.js';
import type { PersistedUsage } from './usage-store.js';

/**
 * Exact counters for one process (the embedded default). Every check-and-record runs without
 * an `await` in between, so it is atomic on Node's single thread. Quota state is seeded once
 * per key from the persisted buckets (`loadUsage`), then kept here; admitted credits are
 * persisted in batches by the caller.
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
    if (!limiter || limiter.caps.perSecond !== caps.perSecond || limiter.caps.perMinute !== caps.perMinute) {
      // A plan or override change starts a fresh log: the new caps apply from now on.
      limiter = new SlidingWindowLimiter(caps);
      map.set(id, limiter);
    }
    return limiter;
  }

  private limiters(check: RateCheck): SlidingWindowLimiter[] {
    const org = this.limiter(this.orgLimiters, check.organizationId, check.planCaps);
    return check.keyCaps ? [org, this.limiter(this.keyLimiters, check.keyId, check.keyCaps)] : [org];
  }

  async admitRate(check: RateCheck): Promise<RateLimitDecision> {
    return tryAdmitAll(this.limiters(check), check.now);
  }

  async peekRate(check: RateCheck): Promise<RateLimitDecision> {
    const decisions = this.limiters(check).map((l) => l.peek(check.now));
    return decisions.reduce((tightest, d) => (d.remaining < tightest.remaining ? d : tightest));
  }

  /**
   * A key's usage, loaded once per quota configuration: a key whose quotas were removed is not
   * counted here meanwhile (its credits go to the usage store only), so a configuration change
   * reloads from the persisted usage (the caller's loader includes unflushed credits).
   */
  private async keyUsage(keyId: string, now: number, tag: string): Promise<KeyUsage> {
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

  async ipBlockedUntil(ip: string, now: number): Promise<number | null> {
    const until = this.blocks.get(ip);
    if (until === undefined) return null;
    if (until > now) return until;
    this.blocks.delete(ip);
    return null;
  }

  async recordAuthFailure(ip: string, now: number): Promise<number | null> {
    const since = now - this.ipPolicy.failureWindowMs;
    const times = (this.failures.get(ip) ?? []).filter((t) => t > since);
    times.push(now);
    if (times.length >= this.ipPolicy.maxFailures) {
      this.failures.delete(ip);
      const until = now + this.ipPolicy.blockMs;
      this.blocks.set(ip, until);
      return until;
    }
    this.failures.set(ip, times);
    if (this.failures.size > 100_000) {
      for (const [key, list] of this.failures) if ((list.at(-1) ?? 0) <= since) this.failures.delete(key);
    }
    return null;
  }

  async unblockIp(ip: string): Promise<void> {
    this.blocks.delete(ip);
    this.failures.delete(ip);
  }

  async close(): Promise<void> {}
}
