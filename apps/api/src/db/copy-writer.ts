import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

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

/**
 * Bulk inserts with `COPY … FROM STDIN` over one dedicated driver connection: the cheapest way
 * to load a batch into PostgreSQL, and the same statement on the embedded database (whose wire
 * bridge runs COPY through PGlite) and on a server. The connection is opened on first use and
 * reopened after a failure; callers serialise their batches.
 */
export class CopyWriter {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;

  constructor(private readonly config: pg.ClientConfig) {}

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ ...this.config, application_name: 'keysmith-copy' });
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
   * Loads rows already in COPY text format (`copyField` per field, tab-separated, one row per
   * line) into `table`. All or nothing: a row the database refuses fails the whole statement
   * (the caller isolates it, see isolating-write.ts).
   */
  async copyText(table: string, columns: readonly string[], text: string): Promise<void> {
    if (text.length === 0) return;
    const client = await this.connection();
    try {
      const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
      const done = once(stream, 'finish');
      stream.end(text);
      await done;
    } catch (error) {
      // The connection's state after a failed COPY is not worth trusting: start afresh.
      if (this.client === client) this.client = null;
      await client.end().catch(() => undefined);
      throw error;
    }
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
