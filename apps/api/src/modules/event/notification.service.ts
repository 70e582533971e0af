import type { OrgScope } from '../../auth/org-scope.js';
import { seesEverySpace } from '../../auth/policy.js';
import type { Em } from '../../db/orm.js';
import { pgTextArray } from '../../db/sql.js';
import type { TEventType } from './event.entity.js';
import type { TListNotifications, TNotificationPage } from './event.schemas.js';
import { cursorTimeSql, decodeTimeCursor, encodeTimeCursor } from './time-cursor.js';

interface EventRow {
  id: string;
  type: TEventType;
  payload: Record<string, unknown> | string;
  created_at: Date | string;
  cursor_time: string;
}

/**
 * The organization's events, newest first (§6 notifications). Owners and admins see all of
 * them; members see events about keys in spaces they belong to, and events that concern no
 * space (e.g. a blocked IP). An event's space is its payload's `space_id`, or else the space
 * of the key its `key_id` names, so an event that leaves `space_id` out is still confined.
 */
export async function listNotifications(
  em: Em,
  scope: OrgScope,
  input: TListNotifications,
): Promise<TNotificationPage> {
  const where = ['e.organization_id = ?'];
  const params: unknown[] = [scope.orgId];
  let join = '';
  if (!seesEverySpace(scope.actor)) {
    join = `left join api_keys k on k.id = e.payload->>'key_id' and k.organization_id = e.organization_id`;
    where.push(
      `(coalesce(e.payload->>'space_id', k.space_id) is null
        or coalesce(e.payload->>'space_id', k.space_id) = any(?::text[]))`,
    );
    params.push(pgTextArray([...scope.actor.spaceRoles.keys()]));
  }
  if (input.cursor) {
    const cursor = decodeTimeCursor(input.cursor);
    where.push('(e.created_at, e.id) < (?::timestamptz, ?)');
    params.push(cursor.time, cursor.id);
  }
  const rows = await em.execute<EventRow[]>(
    `select e.id, e.type, e.payload, e.created_at, ${cursorTimeSql('e.created_at')} as cursor_time
       from events e ${join}
      where ${where.join(' and ')}
      order by e.created_at desc, e.id desc limit ?`,
    [...params, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      id: row.id,
      type: row.type,
      createdAt: new Date(row.created_at).toISOString(),
      data:
        typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload,
    })),
    nextCursor:
      rows.length > input.limit && last ? encodeTimeCursor({ time: last.cursor_time, id: last.id }) : null,
  };
}
