import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Orm } from '../../db/orm.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The advisory lock that lets one process at a time run retention against a shared server. */
const RETENTION_LOCK = 'keysmith:request-log-retention';

export interface RetentionOptions {
  /** Rows deleted per statement: short transactions, short row locks, steady WAL. */
  batchSize?: number;
  /** Pause between batches, so replication and vacuum keep up and the hot path is not starved. */
  pauseMs?: number;
  /** Upper bound of batches per run (a run that stops early continues on the next tick). */
  maxBatches?: number;
  /** Ends the run after the current batch (shutdown). */
  signal?: AbortSignal;
}

export interface RetentionResult {
  /** False when another process held the lock and this run did nothing. */
  ran: boolean;
  requestLogs: number;
  usageBuckets: number;
  /** Per-minute counts that age out with the logs: a caller's verify calls, failed authentications. */
  verifyCalls: number;
  authFailures: number;
  /** Sign-in attempts older than any throttle window (a day). */
  signInAttempts: number;
  batches: number;
}

interface BatchOptions {
  batchSize: number;
  pauseMs: number;
  maxBatches: number;
  signal: AbortSignal | undefined;
}

const NOTHING_DELETED: RetentionResult = {
  ran: false,
  requestLogs: 0,
  usageBuckets: 0,
  verifyCalls: 0,
  authFailures: 0,
  signInAttempts: 0,
  batches: 0,
};

/** Runs raw SQL on one connection (PostgreSQL server) or the embedded database. */
type Execute = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * Deletes rows matching `selectIds` (a query returning at most `limit` ids, its last
 * parameter) batch by batch until a batch comes back short.
 */
async function deleteInBatches(
  execute: Execute,
  table: string,
  idColumns: string,
  selectIds: string,
  params: unknown[],
  options: BatchOptions,
  budget: { batches: number },
): Promise<number> {
  let deleted = 0;
  while (budget.batches < options.maxBatches && !options.signal?.aborted) {
    const [row] = await execute<{ n: number | string }>(
      `with doomed as (${selectIds}),
            gone as (delete from ${table} t using doomed d where ${idColumns} returning 1)
       select count(*)::int as n from gone`,
      [...params, options.batchSize],
    );
    const n = Number(row?.n ?? 0);
    budget.batches += 1;
    deleted += n;
    if (n < options.batchSize) break;
    if (options.pauseMs > 0) await sleep(options.pauseMs);
  }
  return deleted;
}

/**
 * Retention (issue 6): deletes request logs older than `retentionDays` (and with them the
 * per-minute counts of verify calls and failed authentications), usage buckets that no quota
 * window can count any more (minute buckets after 2 days, hour buckets after 32), and sign-in
 * attempts older than a day,
 * in batches of `batchSize` rows with a pause between them, never one long-locking delete.
 * On a PostgreSQL server the run holds a session advisory lock on one pinned connection, so
 * of several API processes one does the work and the others skip; the embedded database is
 * one process by construction and runs without it. See docs/decisions/0010.
 */
export async function deleteExpiredRequestLogs(
  orm: Orm,
  retentionDays: number,
  now: Date = new Date(),
  options: RetentionOptions = {},
): Promise<RetentionResult> {
  const opts: BatchOptions = {
    batchSize: options.batchSize ?? 5000,
    pauseMs: options.pauseMs ?? 200,
    maxBatches: options.maxBatches ?? 10_000,
    signal: options.signal,
  };
  const run = async (execute: Execute): Promise<RetentionResult> => {
    const budget = { batches: 0 };
    const requestLogs = await deleteInBatches(
      execute,
      'request_logs',
      't.id = d.id',
      'select id from request_logs where time < ? limit ?',
      [new Date(now.getTime() - retentionDays * DAY_MS)],
      opts,
      budget,
    );
    const usageBuckets = await deleteInBatches(
      execute,
      'usage_buckets',
      't.key_id = d.key_id and t.granularity = d.granularity and t.bucket_start = d.bucket_start',
      `select key_id, granularity, bucket_start from usage_buckets
        where (granularity = 'minute' and bucket_start < ?) or (granularity = 'hour' and bucket_start < ?)
        limit ?`,
      [new Date(now.getTime() - 2 * DAY_MS), new Date(now.getTime() - 32 * DAY_MS)],
      opts,
      budget,
    );
    const logCutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    // Tables keyed by several columns: rows are picked and deleted by their physical id.
    const byCtid = (table: string, where: string, params: unknown[]) =>
      deleteInBatches(
        execute,
        table,
        't.ctid = d.ctid',
        `select ctid from ${table} where ${where} limit ?`,
        params,
        opts,
        budget,
      );
    const verifyCalls = await byCtid('verify_calls', 'minute < ?', [logCutoff]);
    const authFailures = await byCtid('auth_failures', 'minute < ?', [logCutoff]);
    const signInAttempts = await byCtid('sign_in_attempts', 'at < ?', [new Date(now.getTime() - DAY_MS)]);
    return {
      ran: true,
      requestLogs,
      usageBuckets,
      verifyCalls,
      authFailures,
      signInAttempts,
      batches: budget.batches,
    };
  };

  const connection = orm.em.getConnection();
  // Session-level lock: every statement must run on the connection that holds it.
  return connection
    .getClient()
    .connection()
    .execute(async (pinned) => {
      const execute: Execute = (sql, params) => connection.execute(sql, params, 'all', pinned);
      const [lock] = await execute<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtext(?)) as locked',
        [RETENTION_LOCK],
      );
      if (!lock?.locked) return { ...NOTHING_DELETED, ran: false };
      try {
        return await run(execute);
      } finally {
        await execute('select pg_advisory_unlock(hashtext(?))', [RETENTION_LOCK]);
      }
    });
}

/**
 * Runs retention at start and then every `periodMs` (an hour by default). Never overlaps
 * itself; `stop()` waits for a run in progress so the database is not closed under it.
 */
export function startRequestLogRetention(
  orm: Orm,
  log: Logger,
  retentionDays: number,
  periodMs = HOUR_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const stopping = new AbortController();
  const tick = () => {
    if (running || stopping.signal.aborted) return;
    running = (async () => {
      try {
        const result = await deleteExpiredRequestLogs(orm, retentionDays, new Date(), {
          signal: stopping.signal,
        });
        const deleted =
          result.requestLogs +
          result.usageBuckets +
          result.verifyCalls +
          result.authFailures +
          result.signInAttempts;
        if (deleted > 0) log.info(result, 'request log retention');
      } catch (error) {
        log.error({ err: error }, 'request log retention failed');
      } finally {
        running = null;
      }
    })();
  };
  tick();
  const timer = setInterval(tick, periodMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      stopping.abort();
      clearInterval(timer);
      await running;
    },
  };
}
