import { isSafeText } from '@keysmith/domain';
import { AppError } from '../../errors.js';

/**
 * Keyset pagination over `(created_at, id)`, newest first. The cursor carries the row's time
 * as PostgreSQL prints it (microseconds, UTC), not a JavaScript Date (milliseconds), so rows
 * written by SQL `now()` within one millisecond are neither skipped nor repeated.
 */
export interface TimeCursor {
  time: string;
  id: string;
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A select expression giving `column` in the cursor's text form. */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeTimeCursor(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify([cursor.time, cursor.id]), 'utf8').toString('base64url');
}

/** `2026-02-30T…` matches the pattern but is no instant: PostgreSQL would refuse it (a 500, not a 400). */
function isRealInstant(time: string): boolean {
  const ms = Date.parse(time);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === time.slice(0, 19);
}

/** Reads a cursor from the client; anything that is not one of ours is a field error. */
export function decodeTimeCursor(text: string): TimeCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      TIME.test(value[0]) &&
      isRealInstant(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length <= 64 &&
      isSafeText(value[1])
    ) {
      return { time: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw AppError.field(
    'BAD_REQUEST',
    'cursor',
    'This page link is no longer valid; start from the first page',
  );
}
