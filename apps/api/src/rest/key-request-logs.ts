import { QueryOrder } from '@mikro-orm/core';
import type { Em } from '../db/orm.js';
import { AppError } from '../errors.js';
import { RequestLog } from '../modules/request-log/request-log.entity.js';

const DAY_MS = 86_400_000;

/**
 * Admitted requests (`code = VALID`) of one key in the last 24 hours and the last 30 days,
 * from its request logs. Logs are written in batches, so the newest second or so may not be
 * counted yet. Always filtered by the organization as well as the key.
 */
export async function keyRequestCounts(
  em: Em,
  organizationId: string,
  keyId: string,
  now: number,
): Promise<{ today: number; thisMonth: number }> {
  const where = { organizationId, keyId, code: 'VALID' };
  const [today, thisMonth] = await Promise.all([
    em.count(RequestLog, { ...where, time: { $gt: new Date(now - DAY_MS) } }),
    em.count(RequestLog, { ...where, time: { $gt: new Date(now - 30 * DAY_MS) } }),
  ]);
  return { today, thisMonth };
}

/** Position after which the next page starts: the last row's time (epoch ms) and id. */
interface LogCursor {
  time: number;
  id: number;
}

/** Opaque to clients: base64url of `time|id`. */
export function encodeLogCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.time}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The last instant PostgreSQL's `timestamptz` and ISO 8601 without an expanded year both hold. */
const MAX_CURSOR_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Decodes a cursor; anything that is not one we issued is a `cursor` validation error. */
export function decodeLogCursor(value: string): LogCursor {
  const match = /^(\d{1,15})\|(\d{1,18})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  const time = Number(match?.[1]);
  const id = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(time) || !Number.isSafeInteger(id) || time > MAX_CURSOR_TIME) {
    throw AppError.field(
      'BAD_REQUEST',
      'cursor',
      'Invalid cursor: pass `next_cursor` from the previous page',
    );
  }
  return { time, id };
}

/**
 * One page of a key's request logs, newest first, by keyset pagination on `(time, id)` (the
 * `request_logs_key_time_idx` index): stable while new rows arrive, and as fast on page 1000
 * as on page 1.
 */
export async function keyRequestLogPage(
  em: Em,
  organizationId: string,
  keyId: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ rows: RequestLog[]; nextCursor: string | null }> {
  const after = cursor === undefined ? null : decodeLogCursor(cursor);
  const before = after
    ? {
        $or: [{ time: { $lt: new Date(after.time) } }, { time: new Date(after.time), id: { $lt: after.id } }],
      }
    : {};
  const rows = await em.find(
    RequestLog,
    { organizationId, keyId, ...before },
    { orderBy: { time: QueryOrder.DESC, id: QueryOrder.DESC }, limit: limit + 1 },
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeLogCursor({ time: last.time.getTime(), id: last.id }) : null;
  return { rows: page, nextCursor };
}
