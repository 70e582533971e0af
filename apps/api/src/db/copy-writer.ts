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
   * Loads `rows` (each an array of fields in `columns` order) into `table`. All or nothing: a
   * row the database refuses fails the whole statement (the caller isolates it, see
   * isolating-write.ts).
   */
  async copy(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly CopyValue[])[],
  ): Promise<void> {
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) {
        if (i > 0) text += '\t';
        text += copyField(row[i] ?? null);
      }
      text += '\n';
    }
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
