import type { RateLimitDecision } from '@keysmith/domain';
import type { Logger } from 'pino';
import type { Counters, QuotaCheck, QuotaOutcome, RateCheck } from './counters.js';
import type { MemoryCounters } from './memory-counters.js';
import type { PgQuotaCounter } from './pg-quota-counter.js';
import { RedisUnavailableError } from './redis-client.js';
import type { RedisCounters, ReplayEntry } from './redis-counters.js';

export interface FailoverOptions {
  primary: RedisCounters;
  /** Per-process rate limits and IP blocks while Redis is unreachable. */
  local: MemoryCounters;
  /** Exact quotas in PostgreSQL while Redis is unreachable. */
  pgQuota: PgQuotaCounter;
  log: Logger;
  /**
   * After an outage is detected, how long quota decisions wait before reading PostgreSQL: long
   * enough for every process to have flushed the credits it admitted through Redis (one flush
   * period plus the write), so the database then holds all of them.
   */
  graceMs: number;
  /** How often Redis is probed while it is down. */
  probeIntervalMs: number;
}

interface Outage {
  since: number;
  quotasFrom: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Redis counters with the fault policy of docs/decisions/0007-redis-fault-policy.md: when a
 * Redis command fails or times out, this process switches to its fallbacks at once (rate limits
 * and IP blocks per process, quotas exact in PostgreSQL), probes Redis in the background, and
 * switches back once Redis answers — after adding to Redis the credits it charged in
 * PostgreSQL meanwhile, so the shared counts stay exact.
 */
export class FailoverCounters implements Counters {
  private outage: Outage | null = null;
  /**
   * Credits charged in PostgreSQL during the outage, coalesced per key and minute (a group keeps
   * its latest commit time: replaying a group the next seed partly holds over-counts, never under).
   */
  private readonly journal = new Map<string, ReplayEntry>();
  private inFlight = 0;
  private probe: NodeJS.Timeout | null = null;
  private probing = false;
  private closed = false;

  constructor(private readonly options: FailoverOptions) {}

  /** Whether this process currently serves from its fallbacks. */
  get degraded(): boolean {
    return this.outage !== null;
  }

  private markDown(error: unknown): void {
    if (this.outage || this.closed) return;
    const now = Date.now();
    this.outage = { since: now, quotasFrom: now + this.options.graceMs };
    this.options.log.warn(
      { err: error },
      'Redis unavailable: rate limits and IP blocks per process, quotas in PostgreSQL until it is back',
    );
    this.probe = setInterval(() => void this.tryRecover(), this.options.probeIntervalMs);
    this.probe.unref();
  }

  private async tryRecover(): Promise<void> {
    if (this.probing || !this.outage || this.closed) return;
    this.probing = true;
    try {
      await this.options.primary.ping();
      // Replay what PostgreSQL charged while Redis was away; switch back only when nothing is
      // left to replay and no fallback charge is in flight (its entry would be missed).
      for (;;) {
        for (const [id, entry] of this.journal) {
          await this.options.primary.replay(entry);
          this.journal.delete(id);
        }
        if (this.inFlight === 0) break;
        await sleep(5);
      }
      const lasted = Date.now() - (this.outage?.since ?? Date.now());
      this.outage = null;
      if (this.probe) clearInterval(this.probe);
      this.probe = null;
      this.options.log.info({ outageMs: lasted }, 'Redis is back: shared counters resumed');
    } catch {
      // Still down (or went down again while replaying): keep the fallbacks, retry on the next tick.
    } finally {
      this.probing = false;
    }
  }

  /** Runs on Redis unless it is down; a Redis failure switches to the fallback for this call too. */
  private async run<T>(primary: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (!this.outage) {
      try {
        return await primary();
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        this.markDown(error);
      }
    }
    return fallback();
  }

  admitRate(check: RateCheck): Promise<RateLimitDecision> {
    return this.run(
      () => this.options.primary.admitRate(check),
      () => this.options.local.admitRate(check),
    );
  }

  peekRate(check: RateCheck): Promise<RateLimitDecision> {
    return this.run(
      () => this.options.primary.peekRate(check),
      () => this.options.local.peekRate(check),
    );
  }

  consumeQuota(check: QuotaCheck): Promise<QuotaOutcome> {
    return this.run(
      () => this.options.primary.consumeQuota(check),
      () => this.quotaInPostgres(check, true),
    );
  }

  peekQuota(check: QuotaCheck): Promise<QuotaOutcome> {
    return this.run(
      () => this.options.primary.peekQuota(check),
      () => this.quotaInPostgres(check, false),
    );
  }

  private async quotaInPostgres(check: QuotaCheck, consume: boolean): Promise<QuotaOutcome> {
    this.inFlight++;
    try {
      const wait = (this.outage?.quotasFrom ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      const outcome = await this.options.pgQuota.check(check, consume);
      if (outcome.persisted) {
        const minute = Math.floor(check.now / 60_000) * 60_000;
        const id = `${check.keyId}|${minute}`;
        const group = this.journal.get(id);
        this.journal.set(id, {
          organizationId: check.organizationId,
          keyId: check.keyId,
          t: minute,
          cost: (group?.cost ?? 0) + check.cost,
          committedAt: Date.now(),
        });
      }
      return outcome;
    } finally {
      this.inFlight--;
    }
  }

  ipBlockedUntil(ip: string, now: number): Promise<number | null> {
    return this.run(
      () => this.options.primary.ipBlockedUntil(ip, now),
      () => this.options.local.ipBlockedUntil(ip, now),
    );
  }

  recordAuthFailure(ip: string, now: number): Promise<number | null> {
    return this.run(
      () => this.options.primary.recordAuthFailure(ip, now),
      () => this.options.local.recordAuthFailure(ip, now),
    );
  }

  async unblockIp(ip: string): Promise<void> {
    await this.options.local.unblockIp(ip);
    await this.run(
      () => this.options.primary.unblockIp(ip),
      async () => undefined,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
    if (this.journal.size > 0) {
      this.options.log.warn(
        { entries: this.journal.size },
        'closing during a Redis outage: credits charged in PostgreSQL stay there (Redis re-syncs on its next seed)',
      );
    }
    await this.options.primary.close();
    await this.options.local.close();
  }
}
