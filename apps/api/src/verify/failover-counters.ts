import type { RateLimitDecision } from '@keysmith/domain';
import type { Logger } from 'pino';
import type {
  Admission,
  AdmissionResult,
  Counters,
  QuotaCheck,
  QuotaOutcome,
  RateCheck,
} from './counters.js';
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
   * Credits charged in PostgreSQL during the outage, one entry per request (its id lets Redis
   * skip a request it charged itself after its answer came too late), replayed in order.
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

  private async quotaInPostgres(
    check: QuotaCheck,
    consume: boolean,
    requestId?: string,
  ): Promise<QuotaOutcome> {
    this.inFlight++;
    try {
      const wait = (this.outage?.quotasFrom ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      const outcome = await this.options.pgQuota.check(check, consume);
      if (outcome.persisted) {
        const id = requestId ?? this.options.primary.member(check.now);
        this.journal.set(id, {
          organizationId: check.organizationId,
          keyId: check.keyId,
          t: check.now,
          cost: check.cost,
          committedAt: Date.now(),
          requestId: id,
        });
      }
      return outcome;
    } finally {
      this.inFlight--;
    }
  }

  /**
   * One request's scoped block, rate limits and quotas: one Redis script, or while Redis is down
   * the per-process limiters and blocks and the exact quotas in PostgreSQL, in the same order.
   */
  admit(a: Admission): Promise<AdmissionResult> {
    // One id for both tries: if Redis ran the script but answered too late, the charge made in
    // PostgreSQL for the same request is skipped when it is replayed.
    const admission = a.requestId === undefined ? { ...a, requestId: this.options.primary.member(a.now) } : a;
    return this.run(
      () => this.options.primary.admit(admission),
      async () => {
        const local = await this.options.local.admit({ ...admission, quotas: null });
        if (local.blockedUntil !== null || a.quotas === null || local.rate === null) return local;
        if (a.mode === 'admit' && !local.rate.admitted) return local;
        const check = {
          organizationId: a.organizationId,
          keyId: a.keyId,
          quotas: a.quotas,
          cost: a.cost,
          now: a.now,
        };
        return {
          ...local,
          quota: await this.quotaInPostgres(check, a.mode === 'admit', admission.requestId),
        };
      },
    );
  }

  knownBlock(subject: string, now: number): number | null | undefined {
    return this.outage
      ? this.options.local.knownBlock(subject, now)
      : this.options.primary.knownBlock(subject, now);
  }

  ipBlockedUntil(ip: string, now: number): Promise<number | null> {
    return this.run(
      () => this.options.primary.ipBlockedUntil(ip, now),
      async () => this.options.local.ipBlockedUntil(ip, now),
    );
  }

  recordAuthFailure(ip: string, now: number): Promise<number | null> {
    return this.run(
      () => this.options.primary.recordAuthFailure(ip, now),
      async () => this.options.local.recordAuthFailure(ip, now),
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
