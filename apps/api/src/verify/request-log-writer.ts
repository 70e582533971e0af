import { sanitizeText } from '@keysmith/domain';
import type { Logger } from 'pino';
import { type BatchSql, CopyTextBuilder, TimestampFormatter } from '../db/batch-connection.js';
import { type IsolatedWriteResult, writeIsolating } from '../db/isolating-write.js';
import { databaseReachable, type Orm } from '../db/orm.js';
import type { MetricCounter, Metrics } from '../metrics.js';
import type { RequestLogEntry } from './ports.js';

const COLUMNS = [
  'organization_id',
  'space_id',
  'key_id',
  'time',
  'method',
  'endpoint',
  'status',
  'duration_ms',
  'ip',
  'credits',
  'code',
];
/**
 * Rows per COPY: keeps one statement (and one failed try) small, and the request thread's
 * turn short (building and sending a chunk of 2,000 rows takes a few milliseconds; 5,000 made
 * turns of 20 ms and more in hot-path-stall.timing.test.ts).
 */
const CHUNK = 2000;
/** A chunk's COPY bytes, first guess (rows run 150–250 bytes; the builder grows if needed). */
const CHUNK_BYTES = CHUNK * 256;

/** At most one "database unreachable" line per this long, however many flushes fail. */
const DOWN_LOG_EVERY_MS = 30_000;

export interface RequestLogWriterOptions {
  /** Where the rows go: `COPY … FROM STDIN` on a connection of its own (db/batch-connection.ts). */
  batch: BatchSql;
  /** A flush starts early once this many rows wait. */
  flushAt: number;
  /**
   * Rows kept in memory while the database does not answer. Beyond it, new rows are dropped and
   * counted (`keysmith_request_log_rows_dropped_total`): memory stays bounded and the process
   * keeps serving through any outage.
   */
  maxBuffered: number;
  /** Sees each batch once it is written (the security monitor); must only queue, not do I/O. */
  onWritten?: (rows: readonly RequestLogEntry[]) => void;
  metrics: Metrics;
}

/**
 * Buffers request logs and last-use updates in memory and writes them in batches: rows by
 * `COPY` (the cheapest load PostgreSQL has, on the embedded database too), and one
 * `update … from (values)` that moves `last_used_at` forward only (so batches from several processes, applied in any order, leave the latest).
 * Nothing here is awaited on the request path.
 *
 * The writer cannot be poisoned: a batch that fails while the database answers is split until
 * the rows that fail alone are found; those are set aside and counted (one bounded log line
 * per flush), and every other row, of every tenant, is written. Text a client sent is made
 * storable before it is queued (no NUL, no lone surrogate), so that path is the last resort.
 */
export class RequestLogWriter {
  private buffer: RequestLogEntry[] = [];
  private lastUse = new Map<string, { at: number; ip: string | null }>();
  private flushing: Promise<void> | null = null;
  private lastDownLog = 0;
  private earlyFlush = false;
  private readonly time = new TimestampFormatter();
  private readonly written: MetricCounter;
  private readonly setAside: MetricCounter;
  private readonly dropped: MetricCounter;

  constructor(
    private readonly orm: Orm,
    private readonly log: Logger,
    private readonly options: RequestLogWriterOptions,
  ) {
    const { metrics } = options;
    this.written = metrics.counter('keysmith_request_log_rows_written_total', 'Request log rows written');
    this.setAside = metrics.counter(
      'keysmith_request_log_rows_set_aside_total',
      'Request log rows the database refused on their own (bad data); not retried',
    );
    this.dropped = metrics.counter(
      'keysmith_request_log_rows_dropped_total',
      'Request log rows dropped because the buffer was full while the database was unreachable',
    );
    metrics.gauge(
      'keysmith_request_log_rows_buffered',
      'Request log rows waiting to be written',
      () => this.pending,
    );
  }

  push(entry: RequestLogEntry, admitted: boolean): void {
    if (admitted && entry.keyId) {
      const previous = this.lastUse.get(entry.keyId);
      if (!previous || previous.at < entry.time)
        this.lastUse.set(entry.keyId, { at: entry.time, ip: entry.ip });
    }
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped.inc();
      return;
    }
    entry.endpoint = sanitizeText(entry.endpoint);
    entry.method = sanitizeText(entry.method);
    this.buffer.push(entry);
    // One early flush at a time: calling flush() per push past the mark would queue a promise per
    // request while one is writing (garbage, then GC pauses on the request thread).
    if (this.buffer.length >= this.options.flushAt && this.flushing === null && !this.earlyFlush) {
      this.earlyFlush = true;
      void this.flush()
        .catch(() => undefined)
        .finally(() => {
          this.earlyFlush = false;
        });
    }
  }

  /**
   * Records a use of a key without a log row (a `keys:verify` caller's own call, which is
   * counted per minute instead): only `last_used_at`/`last_used_ip` move.
   */
  touch(keyId: string, at: number, ip: string | null): void {
    const previous = this.lastUse.get(keyId);
    if (!previous || previous.at < at) this.lastUse.set(keyId, { at, ip });
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes what is buffered; rejects (after keeping the rows) only when the database is unreachable. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.lastUse.size === 0) return;
    const rows = this.buffer;
    const lastUse = this.lastUse;
    this.buffer = [];
    this.lastUse = new Map();
    this.flushing = this.write(rows, lastUse).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async write(rows: RequestLogEntry[], lastUse: Map<string, { at: number; ip: string | null }>) {
    const result = await this.writeChunks(rows);
    this.written.inc(result.written.length);
    if (result.rejected.length > 0) {
      this.setAside.inc(result.rejected.length);
      this.log.error(
        {
          rows: result.rejected.length,
          organizations: new Set(result.rejected.map((r) => r.item.organizationId)).size,
          written: result.written.length,
          err: result.rejected[0]?.error,
        },
        'request log rows refused by the database were set aside; the rest of the batch was written',
      );
    }
    if (result.written.length > 0) {
      try {
        this.options.onWritten?.(result.written);
      } catch (error) {
        // The rows are written: a failing observer must not make them be written twice.
        this.log.error({ err: error }, 'request log observer failed');
      }
    }
    let failure: unknown = null;
    if (result.unwritten.length > 0) {
      // Back in front, in order, within the bound: newer rows wait behind them.
      const room = Math.max(0, this.options.maxBuffered - this.buffer.length);
      const kept = result.unwritten.slice(0, room);
      this.dropped.inc(result.unwritten.length - kept.length);
      this.buffer = kept.concat(this.buffer);
      failure = result.firstError;
    }
    if (lastUse.size > 0) {
      try {
        await this.updateLastUse(lastUse);
      } catch (error) {
        for (const [id, use] of lastUse) {
          const newer = this.lastUse.get(id);
          if (!newer || newer.at < use.at) this.lastUse.set(id, use);
        }
        failure ??= error;
      }
    }
    if (failure !== null) {
      const now = Date.now();
      if (now - this.lastDownLog >= DOWN_LOG_EVERY_MS) {
        this.lastDownLog = now;
        this.log.error(
          { err: failure, buffered: this.buffer.length, limit: this.options.maxBuffered },
          'database unreachable: request logs are buffered and retried',
        );
      }
      throw failure;
    }
  }

  /**
   * Each chunk is its own isolated write: one COPY is atomic, so a chunk is written or not, and a
   * failure in a later chunk never sends rows of an earlier, committed one round again (retrying
   * a multi-chunk part whole would write those twice). Once the database stops answering, the
   * chunks not yet tried are kept as they are.
   */
  private async writeChunks(rows: RequestLogEntry[]): Promise<IsolatedWriteResult<RequestLogEntry>> {
    const result: IsolatedWriteResult<RequestLogEntry> & { written: RequestLogEntry[] } = {
      written: [],
      rejected: [],
      unwritten: [],
      firstError: null,
    };
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.length <= CHUNK ? rows : rows.slice(i, i + CHUNK);
      if (result.unwritten.length > 0) {
        result.unwritten.push(...chunk);
        continue;
      }
      const part = await writeIsolating(
        chunk,
        (piece) => this.insert(piece),
        () => databaseReachable(this.orm),
      );
      if (rows.length <= CHUNK) return part;
      result.written.push(...part.written);
      result.rejected.push(...part.rejected);
      result.unwritten.push(...part.unwritten);
      result.firstError ??= part.firstError;
      // Let requests waiting behind this chunk run before the next one is built.
      if (i + CHUNK < rows.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return result;
  }

  /** One COPY of at most {@link CHUNK} rows. */
  private async insert(rows: readonly RequestLogEntry[]): Promise<void> {
    // COPY text written straight into bytes: no string per row, no Date per row (this runs
    // on the request thread, between requests; garbage here becomes GC pauses there). A
    // fresh builder per chunk: the previous chunk's bytes may still sit in the socket's queue.
    const copy = new CopyTextBuilder(CHUNK_BYTES);
    for (const r of rows) {
      copy
        .plain(r.organizationId)
        .plain(r.spaceId)
        .plain(r.keyId)
        .plain(this.time.format(r.time))
        .text(r.method)
        .text(r.endpoint)
        .number(r.status)
        .number(r.durationMs)
        .plain(r.ip)
        .number(r.credits)
        .plain(r.code)
        .row();
    }
    await this.options.batch.copyText('request_logs', COLUMNS, copy.bytes());
  }

  private async updateLastUse(lastUse: Map<string, { at: number; ip: string | null }>): Promise<void> {
    const ids: string[] = [];
    const ats: string[] = [];
    const ips: string[] = [];
    for (const [id, use] of lastUse) {
      ids.push(id);
      ats.push(new Date(use.at).toISOString());
      ips.push(use.ip ?? '');
    }
    await this.options.batch.query(
      `update api_keys k set last_used_at = u.at, last_used_ip = nullif(u.ip, '')
         from unnest($1::text[], $2::timestamptz[], $3::text[]) as u(id, at, ip)
        where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.at)`,
      [ids, ats, ips],
    );
  }
}
