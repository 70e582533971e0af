import type { QuotaWindowName } from '@keysmith/domain';
import type { Orm } from '../db/orm.js';
import { pgTextArray } from '../db/sql.js';

export type Granularity = 'minute' | 'hour' | 'total';

/** Persisted usage of one key: the buckets a counter needs to resume after a restart. */
export interface PersistedUsage {
  minute: { start: number; credits: number }[];
  hour: { start: number; credits: number }[];
  total: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

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

/**
 * Usage buckets in PostgreSQL. Credits are added by a batched upsert (`credits = credits +
 * excluded.credits`), so several processes may flush concurrently and no count is lost.
 */
export class UsageStore {
  private pending = new Map<string, number>();
  private flushing: Promise<void> | null = null;

  constructor(private readonly orm: Orm) {}

  /** Queues credits used by an admitted request (in memory until the next flush). */
  record(organizationId: string, keyId: string, t: number, credits: number): void {
    if (credits <= 0) return;
    for (const granularity of ['minute', 'hour', 'total'] as const) {
      const id = `${organizationId}|${keyId}|${granularity}|${bucketOf(granularity, t)}`;
      this.pending.set(id, (this.pending.get(id) ?? 0) + credits);
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Writes everything queued so far; on failure the credits are put back for the next try. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        for (const [id, credits] of batch) this.pending.set(id, (this.pending.get(id) ?? 0) + credits);
        throw error;
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  private async write(batch: Map<string, number>): Promise<void> {
    const orgs: string[] = [];
    const keys: string[] = [];
    const grans: string[] = [];
    const starts: string[] = [];
    const credits: string[] = [];
    for (const [id, value] of batch) {
      const [org, key, gran, start] = id.split('|');
      orgs.push(org ?? '');
      keys.push(key ?? '');
      grans.push(gran ?? '');
      starts.push(new Date(Number(start)).toISOString());
      credits.push(String(value));
    }
    await this.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into usage_buckets (organization_id, key_id, granularity, bucket_start, credits)
         select * from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[])
         on conflict (key_id, granularity, bucket_start) do update set credits = usage_buckets.credits + excluded.credits`,
        [pgTextArray(orgs), pgTextArray(keys), pgTextArray(grans), pgTextArray(starts), pgTextArray(credits)],
      );
  }

  /** The buckets still inside any window at `now`, to seed a counter after a restart. */
  async load(keyId: string, now: number): Promise<PersistedUsage> {
    const rows: { granularity: Granularity; bucket_start: Date | string; credits: string | number }[] =
      await this.orm.em
        .fork()
        .getConnection()
        .execute(
          `select granularity, bucket_start, credits from usage_buckets
          where key_id = ? and (granularity = 'total'
             or (granularity = 'minute' and bucket_start > ?)
             or (granularity = 'hour' and bucket_start > ?))`,
          [keyId, new Date(now - 86_400_000 - MINUTE), new Date(now - 30 * 86_400_000 - HOUR)],
        );
    const usage: PersistedUsage = { minute: [], hour: [], total: 0 };
    for (const row of rows) {
      const start =
        row.bucket_start instanceof Date ? row.bucket_start.getTime() : Date.parse(row.bucket_start);
      const value = Number(row.credits);
      if (row.granularity === 'total') usage.total += value;
      else usage[row.granularity].push({ start, credits: value });
    }
    return usage;
  }
}
