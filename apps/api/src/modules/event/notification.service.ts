import { type Actor, seesEverySpace } from '../../auth/policy.js';
import { actorOf, authorize, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import { pgTextArray } from '../../db/sql.js';
import { AppError } from '../../errors.js';
import type { TEventType } from './event.entity.js';
import type { TListNotifications, TNotificationPage } from './event.schemas.js';
import { NotificationRead } from './notification-read.entity.js';
import { cursorTimeSql, decodeTimeCursor, encodeTimeCursor } from './time-cursor.js';

interface EntryRow {
  id: string;
  type: TEventType;
  payload: Record<string, unknown> | string;
  latest_at: Date | string;
  first_at: Date | string;
  n: number | string;
  ips: string[] | null;
  is_read: boolean;
  cursor_time: string;
}

/** How far back the bell's unread count looks. */
const UNREAD_WINDOW_MS = 30 * 86_400_000;

/**
 * Events one entry stands for: every `key.new_ip` of one key on one UTC day is one entry
 * ("3 new IPs for Checkout"), any other event is its own.
 */
const GROUP_KEY = `case when e.type = 'key.new_ip'
  then 'new_ip:' || coalesce(e.payload->>'key_id', '') || ':' || to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD')
  else e.id end`;

/**
 * The events of the organization the caller may see, as SQL over `events e`: owners and
 * admins see all of them; members see events about keys in spaces they belong to, and events
 * that concern no space (a blocked IP). An event's space is its payload's `space_id`, or else
 * the space of the key its `key_id` names, so an event that leaves `space_id` out is still
 * confined. Test events sent to a webhook are not notifications.
 */
function visibleEvents(
  organizationId: string,
  actor: Actor,
  kind: TEventType | undefined,
): { sql: string; params: unknown[] } {
  const where = ['e.organization_id = ?', `e.type <> 'webhook.test'`];
  const params: unknown[] = [organizationId];
  let join = '';
  if (!seesEverySpace(actor)) {
    join = `left join api_keys k on k.id = e.payload->>'key_id' and k.organization_id = e.organization_id`;
    where.push(
      `(coalesce(e.payload->>'space_id', k.space_id) is null
        or coalesce(e.payload->>'space_id', k.space_id) = any(?::text[]))`,
    );
    params.push(pgTextArray([...actor.spaceRoles.keys()]));
  }
  if (kind) {
    where.push('e.type = ?');
    params.push(kind);
  }
  return {
    sql: `select e.*, ${GROUP_KEY} as group_key from events e ${join} where ${where.join(' and ')}`,
    params,
  };
}

/** Entries (grouped events) with their read state for `userId`, as SQL over the visible events. */
function entriesSql(): string {
  return `entries as (
      select group_key,
             max(created_at) as latest_at,
             min(created_at) as first_at,
             count(*) as n,
             (array_agg(id order by created_at desc, id desc))[1] as id,
             (array_agg(type order by created_at desc, id desc))[1] as type,
             (array_agg(payload order by created_at desc, id desc))[1] as payload,
             (array_agg(distinct payload->>'ip') filter (where type = 'key.new_ip' and payload->>'ip' is not null)) as ips
        from visible group by group_key),
    marked as (
      select en.*,
             (en.latest_at <= coalesce((select m.read_before from notification_marks m
                                          where m.organization_id = ? and m.user_id = ?), '-infinity'::timestamptz)
              or exists (select 1 from notification_reads r where r.user_id = ? and r.event_id = en.id)) as is_read
        from entries en)`;
}

/**
 * The caller's notification list, newest entry first: grouped repeats, optionally one kind or
 * only unread entries, with the read state of each and the unread count for the bell.
 * Needs `notification.read`.
 */
export async function listNotifications(
  ctx: ServiceContext,
  input: TListNotifications,
): Promise<TNotificationPage> {
  authorize(ctx, 'notification.read');
  const { em, organizationId, now } = ctx;
  const actor = actorOf(ctx);
  const visible = visibleEvents(organizationId, actor, input.kind);
  const readParams = [organizationId, actor.userId, actor.userId];
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.unread) where.push('not is_read');
  if (input.cursor) {
    const cursor = decodeTimeCursor(input.cursor);
    where.push('(latest_at, id) < (?::timestamptz, ?)');
    params.push(cursor.time, cursor.id);
  }
  const rows = await em.execute<EntryRow[]>(
    `with visible as (${visible.sql}), ${entriesSql()}
     select id, type, payload, latest_at, first_at, n, ips, is_read, ${cursorTimeSql('latest_at')} as cursor_time
       from marked ${where.length ? `where ${where.join(' and ')}` : ''}
      order by latest_at desc, id desc limit ?`,
    [...visible.params, ...readParams, ...params, input.limit + 1],
  );
  const all = visibleEvents(organizationId, actor, undefined);
  const [counted] = await em.execute<{ n: number | string }[]>(
    `with visible as (${all.sql} and e.created_at > ?), ${entriesSql()}
     select count(*) as n from marked where not is_read`,
    [...all.params, new Date(now.getTime() - UNREAD_WINDOW_MS), ...readParams],
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      id: row.id,
      type: row.type,
      createdAt: new Date(row.latest_at).toISOString(),
      firstAt: new Date(row.first_at).toISOString(),
      count: Number(row.n),
      ips: (row.ips ?? []).slice(0, 20),
      read: row.is_read,
      data:
        typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload,
    })),
    nextCursor:
      rows.length > input.limit && last ? encodeTimeCursor({ time: last.cursor_time, id: last.id }) : null,
    unreadCount: Number(counted?.n ?? 0),
  };
}

/**
 * Marks one entry read, by the id of its newest event (NOT_FOUND for events the caller cannot
 * see). Needs `notification.read`.
 */
export async function markNotificationRead(ctx: ServiceContext, eventId: string): Promise<{ id: string }> {
  authorize(ctx, 'notification.read');
  const { em, organizationId, now } = ctx;
  const actor = actorOf(ctx);
  const visible = visibleEvents(organizationId, actor, undefined);
  const [found] = await em.execute<{ id: string }[]>(`${visible.sql} and e.id = ? limit 1`, [
    ...visible.params,
    eventId,
  ]);
  if (!found) throw AppError.notFound('Notification');
  await em.execute(
    `insert into notification_reads (id, organization_id, user_id, event_id, read_at) values (?, ?, ?, ?, ?)
     on conflict (user_id, event_id) do nothing`,
    [newId('nrd'), organizationId, actor.userId, eventId, now],
  );
  return { id: eventId };
}

/**
 * "Mark all as read": every entry up to now counts as read for the caller in this organization.
 * Needs `notification.read`.
 */
export async function markAllNotificationsRead(ctx: ServiceContext): Promise<{ readBefore: string }> {
  authorize(ctx, 'notification.read');
  const { em, organizationId, now } = ctx;
  const actor = actorOf(ctx);
  await em.execute(
    `insert into notification_marks (id, organization_id, user_id, read_before) values (?, ?, ?, ?)
     on conflict (organization_id, user_id) do update set read_before = greatest(notification_marks.read_before, excluded.read_before)`,
    [newId('nmk'), organizationId, actor.userId, now],
  );
  await em.nativeDelete(NotificationRead, {
    organizationId,
    userId: actor.userId,
    readAt: { $lte: now },
  });
  return { readBefore: now.toISOString() };
}
