import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isRefusal } from './isolating-write.js';

/** A value of one COPY text-format field: null, a number, or text (escaped here). */
export type CopyValue = string | number | null;

/**
 * One field in PostgreSQL's COPY text format: `\N` for null, backslash, tab, newline and
 * carriage return escaped. Other control characters never reach here (text is made safe at the
 * edge), and would be stored as they are, not misread as separators.
 */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
}

function escapeChar(c: string): string {
  return c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r';
}

const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * COPY text written straight into a byte buffer, field by field. Building it as a JS string
 * (`text += …` per row) made a rope of tens of thousands of small strings per chunk, flattened
 * and UTF-8 encoded again when sent: garbage on the request thread that ended in major GC
 * pauses of 40–60 ms while a large backlog was written (hot-path-stall.timing.test.ts). The
 * buffer lives outside the JS heap and holds no per-field objects.
 */
export class CopyTextBuilder {
  private buf: Buffer;
  private pos = 0;
  private fields = 0;

  constructor(initialBytes = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  private separator(): void {
    if (this.fields++ > 0) this.buf[this.pos++] = TAB;
  }

  /** A field whose text needs no escaping (ids, codes, IP addresses, formatted instants). */
  plain(value: string | null): this {
    this.room(value === null ? 3 : value.length * 3 + 1);
    this.separator();
    if (value === null) {
      this.buf[this.pos++] = 0x5c; // \N
      this.buf[this.pos++] = 0x4e;
    } else this.write(value);
    return this;
  }

  /**
   * ASCII byte by byte in JS (these fields are short: a native `buf.write` per field cost more
   * in calls than the copying), the rest of a string from its first non-ASCII character natively.
   */
  private write(value: string): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = pos + buf.write(i === 0 ? value : value.slice(i), pos, 'utf8');
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** A field of text from outside: backslash, tab, newline and carriage return escaped. */
  text(value: string | null): this {
    return this.plain(value === null ? null : copyField(value));
  }

  number(value: number): this {
    return this.plain(String(value));
  }

  /** Ends the row. */
  row(): this {
    this.room(1);
    this.buf[this.pos++] = NEWLINE;
    this.fields = 0;
    return this;
  }

  /** The rows written so far (a view of the buffer: send it before writing more). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** What the hot path's batches are written with (a {@link BatchConnection}, or a stand-in in tests). */
export interface BatchSql {
  /** Loads rows in COPY text format into `table`; all or nothing. */
  copyText(table: string, columns: readonly string[], text: string | Uint8Array): Promise<void>;
  /** One statement with `$n` parameters bound by the driver (arrays as arrays). */
  query<R = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<R[]>;
}

/**
 * The hot path's batch writes (request log rows, usage buckets, verify-call counts, last use),
 * on one driver connection of its own: `COPY … FROM STDIN`, the cheapest way to load a batch
 * (the same statement on the embedded database, whose wire bridge runs COPY through PGlite, and
 * on a server), and statements with bound parameters. Not through the ORM: MikroORM formats
 * every statement with its parameters inlined (for its query log), which for a batch's
 * array parameters was the largest allocation on the request thread (issue 10's heap profile).
 * The connection is opened on first use and reopened after a failure; the driver queues
 * statements, so callers may overlap.
 */
export class BatchConnection implements BatchSql {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;

  constructor(private readonly config: pg.ClientConfig) {}

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ ...this.config, application_name: 'keysmith-batch' });
      client.on('error', () => {
        // A broken connection is dropped; the next batch opens a new one.
        if (this.client === client) this.client = null;
      });
      try {
        await client.connect();
        this.client = client;
        return client;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  /**
   * Loads rows already in COPY text format (a {@link CopyTextBuilder}'s bytes: tab-separated,
   * one row per line) into `table`. All or nothing: a row the database refuses fails the whole statement
   * (the caller isolates it, see isolating-write.ts).
   */
  async copyText(table: string, columns: readonly string[], text: string | Uint8Array): Promise<void> {
    if (text.length === 0) return;
    const client = await this.connection();
    try {
      const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
      const done = once(stream, 'finish');
      stream.end(text);
      await done;
    } catch (error) {
      // A refusal from the server (a SQLSTATE) leaves the connection in step (the protocol
      // resumes at ReadyForQuery), and statements queued behind the COPY on this shared
      // connection must not be failed with it. Anything else (a broken socket): start afresh.
      if (!isRefusal(error)) {
        if (this.client === client) this.client = null;
        await client.end().catch(() => undefined);
      }
      throw error;
    }
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<R[]> {
    const client = await this.connection();
    const result = await client.query(sql, params as unknown[]);
    return result.rows as R[];
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

/**
 * An instant as PostgreSQL reads a `timestamptz` in COPY (`2026-12-05T23:22:19.123Z`), built
 * without a Date object per row: the part up to the minute is cached, since the rows of a batch
 * share it.
 */
export class TimestampFormatter {
  private minute = Number.NaN;
  private prefix = '';

  format(ms: number): string {
    const minute = ms - (ms % 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.prefix = new Date(minute).toISOString().slice(0, 17);
    }
    const inMinute = ms - minute;
    const seconds = Math.floor(inMinute / 1000);
    const millis = Math.floor(inMinute % 1000);
    return `${this.prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  }
}
