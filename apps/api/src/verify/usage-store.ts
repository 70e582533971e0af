import { VERIFY_ERRORS, type VerifyResultCode } from '@keysmith/domain';
import type { BatchSql } from '../db/batch-connection.js';
import { writeIsolating } from '../db/isolating-write.js';
import { databaseReachable, type Em, type Orm } from '../db/orm.js';
import { ReadWriteGate } from './read-write-gate.js';
import { type Granularity, HOUR, MINUTE, mergeUsage, type PersistedUsage, rollUp } from './usage-buckets.js';

/**
 * A key's credits not yet written, by minute bucket start. Only minutes are kept on the hot
 * path (one numeric map update per admitted request); the hour buckets and the total are
 * derived from them when read or flushed.
 */
interface PendingKey {
  organizationId: string;
  minutes: Map<number, number>;
  /** The minute most requests land in, kept outside the map: one comparison per request. */
  currentMinute: number;
  currentCredits: number;
}

/** The key's minutes with the current one folded in (readers and flushes). */
function minutesOf(entry: PendingKey): Map<number, number> {
  if (entry.currentCredits > 0) {
    entry.minutes.set(
      entry.currentMinute,
      (entry.minutes.get(entry.currentMinute) ?? 0) + entry.currentCredits,
    );
    entry.currentCredits = 0;
  }
  return entry.minutes;
}

/** Every answer code of a verification, in a fixed order: the index of a count in a minute's array. */
const RESULT_CODES: readonly VerifyResultCode[] = ['VALID', ...VERIFY_ERRORS.map((e) => e.code)];
const CODE_INDEX = new Map<string, number>(RESULT_CODES.map((code, i) => [code, i]));

/**
 * A `keys:verify` caller's calls within its current minute, counted per answer code. Counting a
 * call allocates nothing; a new array is made only when the minute changes.
 */
interface VerifyCallMinute {
  organizationId: string;
  minute: number;
  counts: Uint32Array;
}

/**
 * Usage buckets in PostgreSQL. Credits are added by a batched upsert (`credits = credits +
 * excluded.credits`), so several processes may flush concurrently and no count is lost.
 *
 * {@link withStablePending} lets a reader see this process's unflushed credits and the
 * database as one consistent whole: while it runs no flush moves credits from the one to
 * the other (a flush waits for readers; readers arriving while a flush waits queue behind it).
 */
export class UsageStore {
  private pending = new Map<string, PendingKey>();
  private pendingBuckets = 0;
  /** Each caller key's current minute of verify calls. */
  private verifyCalls = new Map<string, VerifyCallMinute>();
  /** Finished minutes of verify calls, waiting for the next flush. */
  private verifyCallsDone: { keyId: string; entry: VerifyCallMinute }[] = [];
  /** Flushes are writers (one at a time), stable-pending reads are readers. */
  private readonly gate = new ReadWriteGate();

  constructor(
    private readonly orm: Orm,
    /** The batch writes' own connection (db/batch-connection.ts); reads go through the ORM. */
    private readonly batch: BatchSql,
  ) {}

  /** Queues credits used by an admitted request (in memory until the next flush). */
  record(organizationId: string, keyId: string, t: number, credits: number): void {
    if (credits <= 0) return;
    const minute = t - (t % MINUTE);
    const entry = this.pending.get(keyId);
    if (entry !== undefined && entry.currentMinute === minute) {
      entry.currentCredits += credits;
      return;
    }
    this.addMinute(organizationId, keyId, minute, credits);
  }

  private addMinute(organizationId: string, keyId: string, minute: number, credits: number): void {
    let entry = this.pending.get(keyId);
    if (!entry) {
      entry = { organizationId, minutes: new Map(), currentMinute: minute, currentCredits: 0 };
      this.pending.set(keyId, entry);
    }
    const minutes = minutesOf(entry);
    const before = minutes.get(minute);
    if (before === undefined) this.pendingBuckets++;
    minutes.set(minute, before ?? 0);
    entry.currentMinute = minute;
    entry.currentCredits = credits;
  }

  /**
   * Counts a `keys:verify` caller's own call (§5: not logged row by row; counted per minute and
   * answer code, shown in the caller key's usage). `code` is what the verification answered.
   */
  countVerifyCall(organizationId: string, callerKeyId: string, t: number, code: VerifyResultCode): void {
    const minute = t - (t % MINUTE);
    let entry = this.verifyCalls.get(callerKeyId);
    if (entry === undefined || entry.minute !== minute) {
      if (entry !== undefined) this.verifyCallsDone.push({ keyId: callerKeyId, entry });
      entry = { organizationId, minute, counts: new Uint32Array(RESULT_CODES.length) };
      this.verifyCalls.set(callerKeyId, entry);
    }
    const index = CODE_INDEX.get(code) ?? 0;
    entry.counts[index] = (entry.counts[index] ?? 0) + 1;
  }

  /** Minute buckets (one per key × minute) waiting for the next flush. */
  get pendingCount(): number {
    return this.pendingBuckets;
  }

  /** This process's unflushed credits of one key, in the shape of {@link load}. */
  pendingFor(keyId: string): PersistedUsage {
    const entry = this.pending.get(keyId);
    if (!entry) return { minute: [], hour: [], total: 0 };
    const minutes = minutesOf(entry);
    const { hours, total } = rollUp(minutes);
    return {
      minute: [...minutes].map(([start, credits]) => ({ start, credits })),
      hour: [...hours].map(([start, credits]) => ({ start, credits })),
      total,
    };
  }

  /**
   * Runs `read` while no flush is in flight, so that `pendingFor` plus the database hold every
   * credit this process admitted exactly once.
   */
  withStablePending<T>(read: () => Promise<T>): Promise<T> {
    return this.gate.read(read);
  }

  /** Persisted usage plus this process's unflushed credits (to seed a shared counter). */
  loadWithPending(keyId: string, now: number): Promise<PersistedUsage> {
    return this.withStablePending(async () =>
      mergeUsage(await this.load(keyId, now), this.pendingFor(keyId)),
    );
  }

  /**
   * Writes everything queued so far. Keys whose credits the database refuses on their own are
   * set aside (logged by the caller through the returned count), so they cannot hold back
   * other keys; when the database is unreachable, the credits are put back for the next try.
   */
  flush(): Promise<number> {
    return this.gate.write(async () => {
      const calls = await this.flushVerifyCalls();
      if (this.pending.size === 0) return calls;
      const batch = [...this.pending];
      this.pending = new Map();
      this.pendingBuckets = 0;
      const result = await writeIsolating(
        batch,
        (part) => this.write(part),
        () => databaseReachable(this.orm),
      );
      for (const [keyId, entry] of result.unwritten) {
        for (const [minute, credits] of minutesOf(entry))
          this.addMinute(entry.organizationId, keyId, minute, credits);
      }
      if (result.unwritten.length > 0) throw result.firstError;
      return calls + result.rejected.length;
    });
  }

  /** Adds the counted verify calls to `verify_calls` (one upsert); returns the minutes set aside. */
  private async flushVerifyCalls(): Promise<number> {
    const minutes = this.verifyCallsDone;
    for (const [keyId, entry] of this.verifyCalls) minutes.push({ keyId, entry });
    if (minutes.length === 0) return 0;
    this.verifyCallsDone = [];
    this.verifyCalls = new Map();
    const rows: string[][] = [[], [], [], [], []];
    const result = await writeIsolating(
      minutes,
      async (part) => {
        for (const column of rows) column.length = 0;
        for (const { keyId, entry } of part) {
          entry.counts.forEach((count, i) => {
            if (count === 0) return;
            rows[0]?.push(keyId);
            rows[1]?.push(entry.organizationId);
            rows[2]?.push(new Date(entry.minute).toISOString());
            rows[3]?.push(RESULT_CODES[i] ?? 'VALID');
            rows[4]?.push(String(count));
          });
        }
        await this.batch.query(
          `insert into verify_calls (key_id, organization_id, minute, code, count)
           select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::int[])
           on conflict (key_id, minute, code) do update set count = verify_calls.count + excluded.count`,
          rows,
        );
      },
      () => databaseReachable(this.orm),
    );
    // Unwritten minutes go back; a minute counted meanwhile for the same key is written separately.
    this.verifyCallsDone.push(...result.unwritten);
    if (result.unwritten.length > 0) throw result.firstError;
    return result.rejected.length;
  }

  private async write(batch: readonly (readonly [string, PendingKey])[]): Promise<void> {
    const orgs: string[] = [];
    const keys: string[] = [];
    const grans: string[] = [];
    const starts: string[] = [];
    const credits: string[] = [];
    const push = (
      organizationId: string,
      keyId: string,
      granularity: Granularity,
      start: number,
      value: number,
    ) => {
      orgs.push(organizationId);
      keys.push(keyId);
      grans.push(granularity);
      starts.push(new Date(start).toISOString());
      credits.push(String(value));
    };
    for (const [keyId, entry] of batch) {
      const minutes = minutesOf(entry);
      const { hours, total } = rollUp(minutes);
      for (const [start, value] of minutes) push(entry.organizationId, keyId, 'minute', start, value);
      for (const [start, value] of hours) push(entry.organizationId, keyId, 'hour', start, value);
      push(entry.organizationId, keyId, 'total', 0, total);
    }
    await this.batch.query(
      `insert into usage_buckets (organization_id, key_id, granularity, bucket_start, credits)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[])
       on conflict (key_id, granularity, bucket_start) do update set credits = usage_buckets.credits + excluded.credits`,
      [orgs, keys, grans, starts, credits],
    );
  }

  /**
   * The buckets still inside any window at `now`, to seed a counter after a restart. With `em`
   * (a transaction's entity manager) the read joins that transaction.
   */
  async load(keyId: string, now: number, em: Em = this.orm.em.fork()): Promise<PersistedUsage> {
    const rows: { granularity: Granularity; bucket_start: Date | string; credits: string | number }[] =
      await em.execute(
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
