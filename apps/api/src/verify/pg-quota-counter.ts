import type { Em, Orm } from '../db/orm.js';
import type { QuotaCheck, QuotaOutcome } from './counters.js';
import { evaluateKeyUsage, keyUsageFrom } from './quota-evaluation.js';
import { bucketOf, mergeUsage } from './usage-buckets.js';
import type { UsageStore } from './usage-store.js';

/**
 * Exact quotas in PostgreSQL alone, for when Redis is unreachable: one transaction per request
 * holds a per-key advisory lock, reads the persisted buckets plus this process's unflushed
 * credits, checks every window and, when admitted, upserts the buckets directly (not through
 * the batch), so the next process to take the lock sees them. Serialised per key across every
 * process; slower than Redis, but never over a quota.
 */
export class PgQuotaCounter {
  /** Per key, the last check queued in this process: one connection per key waits on the lock. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly orm: Orm,
    private readonly usage: UsageStore,
  ) {}

  /** With `consume`, charges an admitted cost; `persisted` says the credits are already written. */
  check(check: QuotaCheck, consume: boolean): Promise<QuotaOutcome> {
    const previous = this.tails.get(check.keyId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.checkNow(check, consume));
    this.tails.set(check.keyId, run);
    void run
      .catch(() => undefined)
      .finally(() => {
        if (this.tails.get(check.keyId) === run) this.tails.delete(check.keyId);
      });
    return run;
  }

  private checkNow(check: QuotaCheck, consume: boolean): Promise<QuotaOutcome> {
    return this.usage.withStablePending(() =>
      this.orm.em.fork().transactional(async (tx) => {
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`usage:${check.keyId}`]);
        const persisted = await this.usage.load(check.keyId, check.now, tx);
        const counters = keyUsageFrom(mergeUsage(persisted, this.usage.pendingFor(check.keyId)));
        const outcome = evaluateKeyUsage(counters, check, consume);
        if (!outcome.admitted || !consume || check.cost <= 0) return outcome;
        await charge(tx, check);
        return { ...outcome, persisted: true };
      }),
    );
  }
}

async function charge(tx: Em, check: QuotaCheck): Promise<void> {
  const rows = (['minute', 'hour', 'total'] as const).map((granularity) => [
    check.organizationId,
    check.keyId,
    granularity,
    new Date(bucketOf(granularity, check.now)).toISOString(),
    check.cost,
  ]);
  await tx.execute(
    `insert into usage_buckets (organization_id, key_id, granularity, bucket_start, credits)
     values (?, ?, ?, ?::timestamptz, ?), (?, ?, ?, ?::timestamptz, ?), (?, ?, ?, ?::timestamptz, ?)
     on conflict (key_id, granularity, bucket_start) do update set credits = usage_buckets.credits + excluded.credits`,
    rows.flat(),
  );
}
