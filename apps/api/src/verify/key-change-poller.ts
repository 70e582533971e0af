import type { Logger } from 'pino';
import type { Orm } from '../db/orm.js';

/**
 * How far back each poll looks. A change's row is visible only once its transaction commits,
 * which may be after rows with a higher `seq` were read; so each poll re-reads this window and
 * skips the sequence numbers it already delivered, instead of trusting `seq > last`.
 */
const LOOKBACK_MS = 30_000;
/** Rows deleted once older than this (any process may do it; the delete is idempotent). */
const KEEP_MS = 3_600_000;
const PRUNE_EVERY_MS = 600_000;

export interface KeyChangeSink {
  /** One key changed: drop it from the cache. */
  key(organizationId: string, keyId: string): void;
  /** Every key of the organization changed (its plan). */
  organization(organizationId: string): void;
}

/**
 * Reads `key_changes` (written by database triggers, see key-change.entity.ts) every `periodMs`
 * and hands each change to the process's key cache. This is how a revocation reaches every
 * process within a second in every mode: the only path in embedded mode when another process
 * (the CLI) changes a key, and the path that keeps §2.2 true while Redis, whose pub/sub is
 * otherwise faster, is down. Delivering a change twice is harmless (a cache drop).
 */
export class KeyChangePoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Sequence numbers delivered within the lookback window, with their time (ms). */
  private readonly delivered = new Map<number, number>();
  private lastPrune = 0;
  private failing = false;
  private started = false;

  constructor(
    private readonly orm: Orm,
    private readonly sink: KeyChangeSink,
    private readonly log: Logger,
    private readonly periodMs: number,
  ) {}

  /** Marks everything already in the log as seen, then polls every `periodMs`. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      await this.poll(false);
    } catch (error) {
      this.log.warn({ err: error }, 'key change log not readable at start; polling will retry');
    }
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.poll(true)
        .then(
          () => {
            if (this.failing) this.log.info('key change log readable again');
            this.failing = false;
          },
          (error: unknown) => {
            if (!this.failing) this.log.warn({ err: error }, 'key change poll failed; retrying');
            this.failing = true;
          },
        )
        .finally(() => {
          this.running = null;
        });
    }, this.periodMs);
    this.timer.unref();
  }

  /** Reads the window once; with `deliver` false only records what is there (the start). */
  async poll(deliver = true): Promise<number> {
    const conn = this.orm.em.fork().getConnection();
    const rows: { seq: string | number; organization_id: string; key_id: string | null }[] =
      await conn.execute(
        `select seq, organization_id, key_id from key_changes
        where at > clock_timestamp() - (? * interval '1 millisecond') order by seq`,
        [LOOKBACK_MS],
      );
    const now = Date.now();
    let delivered = 0;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (this.delivered.has(seq)) continue;
      this.delivered.set(seq, now);
      if (!deliver) continue;
      delivered++;
      if (row.key_id === null) this.sink.organization(row.organization_id);
      else this.sink.key(row.organization_id, row.key_id);
    }
    for (const [seq, at] of this.delivered) if (now - at > 2 * LOOKBACK_MS) this.delivered.delete(seq);
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await conn.execute(
        `delete from key_changes where at < clock_timestamp() - (? * interval '1 millisecond')`,
        [KEEP_MS],
      );
    }
    return delivered;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
