import type { Em } from '../../db/orm.js';
import { emitEvents } from '../event/event.service.js';
import {
  KEY_EVENT_COLUMNS,
  type KeyEventRow,
  keyEventPayload,
  keySubjectOfRow,
} from '../event/key-event-payload.js';

const DAY_MS = 86_400_000;

/** §2.2 "expiring soon": the notice goes out this long before expiry. */
export const EXPIRY_WARNING_DAYS = 30;

/**
 * Keys that expired longer ago than this get no `key.expired` notice: when the feature is
 * first deployed (or a process was down for more than a week) old expiries are not
 * announced as news.
 */
export const EXPIRED_NOTICE_LOOKBACK_DAYS = 7;

/** Keys handled per statement; the next tick takes the rest. */
const BATCH = 500;

type NoticeRow = KeyEventRow & { expires_at: Date | string };

const RETURNING = `returning ${KEY_EVENT_COLUMNS}`;

function payloadOf(row: NoticeRow): Record<string, unknown> {
  return keyEventPayload(keySubjectOfRow(row));
}

/**
 * Stamps a marker on due keys and emits one event per stamped key, in one transaction. The
 * due keys are locked `for update skip locked` and the marker is re-checked by the UPDATE,
 * so with any number of processes each key is stamped (and announced) once: a concurrent run
 * either skips rows being stamped or, once they commit, no longer finds them due. A crash
 * before commit undoes both the marker and the event.
 */
async function stampAndEmit(
  em: Em,
  type: 'key.expiring' | 'key.expired',
  marker: 'expiry_warned_at' | 'expired_notified_at',
  dueCondition: string,
  params: unknown[],
  now: Date,
): Promise<number> {
  return em.transactional(async (tx) => {
    const rows = await tx.execute<NoticeRow[]>(
      `with due as (
         select k.id from api_keys k
          where k.${marker} is null and k.revoked_at is null and k.grace_ends_at is null and ${dueCondition}
          order by k.expires_at
          limit ?
          for update of k skip locked
       )
       update api_keys k set ${marker} = ?
         from due where k.id = due.id and k.${marker} is null
       ${RETURNING}`,
      [...params, BATCH, now],
    );
    await emitEvents(
      tx,
      rows.map((row) => ({ organizationId: row.organization_id, type, payload: payloadOf(row) })),
      now,
    );
    return rows.length;
  });
}

/**
 * `key.expiring` (§2.2): keys expiring within 30 days, once per expiry date (changing the
 * expiry clears the marker). Keys that enterprise auto-renew will extend are left out: their
 * expiry is not going to happen, and warning on every renewal would be noise.
 */
export function warnExpiringKeys(em: Em, now = new Date()): Promise<number> {
  return stampAndEmit(
    em,
    'key.expiring',
    'expiry_warned_at',
    `k.expires_at > ? and k.expires_at <= ?
     and not (k.auto_renew and k.lifetime_seconds > 0 and exists (
       select 1 from organizations o where o.id = k.organization_id and o.plan = 'enterprise'))`,
    [now, new Date(now.getTime() + EXPIRY_WARNING_DAYS * DAY_MS)],
    now,
  );
}

/** `key.expired`: keys whose expiry has passed (within the look-back), once per expiry date. */
export function notifyExpiredKeys(em: Em, now = new Date()): Promise<number> {
  return stampAndEmit(
    em,
    'key.expired',
    'expired_notified_at',
    'k.expires_at <= ? and k.expires_at > ?',
    [now, new Date(now.getTime() - EXPIRED_NOTICE_LOOKBACK_DAYS * DAY_MS)],
    now,
  );
}
