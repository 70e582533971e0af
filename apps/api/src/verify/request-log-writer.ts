import type { Logger } from 'pino';
import type { Orm } from '../db/orm.js';
import { pgTextArray } from '../db/sql.js';

/** One authenticated request, as §1's RequestLog. */
export interface RequestLogEntry {
  organizationId: string;
  spaceId: string | null;
  keyId: string | null;
  time: number;
  method: string;
  endpoint: string;
  status: number;
  durationMs: number;
  ip: string | null;
  credits: number;
  code: string;
}

const COLUMNS = 11;

/**
 * Buffers request logs and last-use updates in memory and writes them in batches: one
 * multi-row insert through `unnest` per flush, and one `update … from (values)` that moves
 * `last_used_at` forward only (so batches from several processes, applied in any order,
 * leave the latest). Nothing here is awaited on the request path.
 */
export class RequestLogWriter {
  private buffer: RequestLogEntry[] = [];
  private lastUse = new Map<string, { at: number; ip: string | null }>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly orm: Orm,
    private readonly log: Logger,
    private readonly maxBuffer = 5000,
    /** Sees each batch once it is written (the security monitor); must only queue, not do I/O. */
    private readonly onWritten?: (rows: readonly RequestLogEntry[]) => void,
  ) {}

  push(entry: RequestLogEntry, admitted: boolean): void {
    this.buffer.push(entry);
    if (admitted && entry.keyId) {
      const previous = this.lastUse.get(entry.keyId);
      if (!previous || previous.at < entry.time)
        this.lastUse.set(entry.keyId, { at: entry.time, ip: entry.ip });
    }
    if (this.buffer.length >= this.maxBuffer) void this.flush().catch(() => undefined);
  }

  get pending(): number {
    return this.buffer.length;
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.lastUse.size === 0) return;
    const rows = this.buffer;
    const lastUse = this.lastUse;
    this.buffer = [];
    this.lastUse = new Map();
    this.flushing = this.write(rows, lastUse)
      .then(() => {
        try {
          this.onWritten?.(rows);
        } catch (error) {
          // The rows are written: a failing observer must not make them be written twice.
          this.log.error({ err: error }, 'request log observer failed');
        }
      })
      .catch((error: unknown) => {
        // Put the batch back in front: it is retried on the next flush, in order.
        this.buffer = rows.concat(this.buffer);
        for (const [id, use] of lastUse) {
          const newer = this.lastUse.get(id);
          if (!newer || newer.at < use.at) this.lastUse.set(id, use);
        }
        this.log.error({ err: error, rows: rows.length }, 'request log flush failed; will retry');
        throw error;
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  private async write(
    rows: RequestLogEntry[],
    lastUse: Map<string, { at: number; ip: string | null }>,
  ): Promise<void> {
    const conn = this.orm.em.fork().getConnection();
    for (let i = 0; i < rows.length; i += 2000) {
      const chunk = rows.slice(i, i + 2000);
      const cols: string[][] = Array.from({ length: COLUMNS }, () => []);
      for (const r of chunk) {
        const values = [
          r.organizationId,
          r.spaceId ?? '',
          r.keyId ?? '',
          new Date(r.time).toISOString(),
          r.method,
          r.endpoint,
          String(r.status),
          String(r.durationMs),
          r.ip ?? '',
          String(r.credits),
          r.code,
        ];
        for (const [c, v] of values.entries()) cols[c]?.push(v);
      }
      await conn.execute(
        `insert into request_logs (organization_id, space_id, key_id, time, method, endpoint, status, duration_ms, ip, credits, code)
         select o, nullif(s, ''), nullif(k, ''), t, m, e, st, d, nullif(ip, ''), c, code
           from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::smallint[],
                       ?::double precision[], ?::text[], ?::int[], ?::text[]) as x(o, s, k, t, m, e, st, d, ip, c, code)`,
        cols.map((c) => pgTextArray(c)),
      );
    }
    if (lastUse.size > 0) {
      const ids = [...lastUse.keys()];
      await conn.execute(
        `update api_keys k set last_used_at = u.at, last_used_ip = nullif(u.ip, '')
           from unnest(?::text[], ?::timestamptz[], ?::text[]) as u(id, at, ip)
          where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.at)`,
        [
          pgTextArray(ids),
          pgTextArray(ids.map((id) => new Date(lastUse.get(id)?.at ?? 0).toISOString())),
          pgTextArray(ids.map((id) => lastUse.get(id)?.ip ?? '')),
        ],
      );
    }
  }
}
