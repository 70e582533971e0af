import { authorize, type ServiceContext } from '../../auth/service-context.js';
import type { Em } from '../../db/orm.js';
import { AppError } from '../../errors.js';
import { cursorTimeSql, decodeTimeCursor, encodeTimeCursor } from '../event/time-cursor.js';
import { CSV_EXPORT_MAX_ROWS, toCsv } from '../request-log/csv.js';
import type { TCsvExport } from '../request-log/request-log.schemas.js';
import { likePrefix, type SqlFilter } from '../request-log/request-log.service.js';
import type { TAuditEvent, TAuditFilters, TAuditPage, TExportAudit, TListAudit } from './audit.schemas.js';

interface AuditRow {
  id: string;
  created_at: Date | string;
  cursor_time: string;
  actor_type: TAuditEvent['actor']['type'];
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  target_label: string | null;
  ip: string | null;
  before: Record<string, unknown> | string | null;
  after: Record<string, unknown> | string | null;
}

function auditConditions(organizationId: string, filters: TAuditFilters): SqlFilter {
  const conditions = ['a.organization_id = ?'];
  const params: unknown[] = [organizationId];
  const from = filters.from ? new Date(filters.from) : null;
  const to = filters.to ? new Date(filters.to) : null;
  if (from && to && from >= to) throw AppError.field('BAD_REQUEST', 'to', 'The end must be after the start');
  if (filters.actorId !== undefined) {
    conditions.push('a.actor_id = ?');
    params.push(filters.actorId);
  }
  if (filters.action !== undefined) {
    conditions.push(`a.action like ? escape '\\'`);
    params.push(likePrefix(filters.action));
  }
  if (filters.targetId !== undefined) {
    conditions.push('a.target_id = ?');
    params.push(filters.targetId);
  }
  if (from) {
    conditions.push('a.created_at >= ?');
    params.push(from);
  }
  if (to) {
    conditions.push('a.created_at < ?');
    params.push(to);
  }
  return { sql: conditions.join(' and '), params };
}

async function selectAudit(em: Em, where: SqlFilter, limit: number): Promise<AuditRow[]> {
  return em.getConnection().execute(
    `select a.id, a.created_at, ${cursorTimeSql('a.created_at')} as cursor_time, a.actor_type, a.actor_id, a.actor_label, a.action,
            a.target_type, a.target_id, a.target_label, a.ip, a.before, a.after
       from audit_events a
      where ${where.sql}
      order by a.created_at desc, a.id desc limit ?`,
    [...where.params, limit],
  );
}

function snapshot(value: AuditRow['before']): Record<string, unknown> | null {
  if (value === null) return null;
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;
}

function toAuditEvent(row: AuditRow): TAuditEvent {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
    action: row.action,
    target: { type: row.target_type, id: row.target_id, label: row.target_label },
    ip: row.ip,
    before: snapshot(row.before),
    after: snapshot(row.after),
  };
}

/**
 * The organization's audit trail, newest first, keyset-paginated on `(created_at, id)`.
 * Filters: actor, action prefix, target, time range. Needs `audit.read`.
 */
export async function listAuditEvents(ctx: ServiceContext, input: TListAudit): Promise<TAuditPage> {
  authorize(ctx, 'audit.read');
  const where = auditConditions(ctx.organizationId, input);
  if (input.cursor !== undefined) {
    const cursor = decodeTimeCursor(input.cursor);
    where.sql += ' and (a.created_at, a.id) < (?::timestamptz, ?)';
    where.params.push(cursor.time, cursor.id);
  }
  const rows = await selectAudit(ctx.em, where, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEvent),
    nextCursor:
      rows.length > input.limit && last ? encodeTimeCursor({ time: last.cursor_time, id: last.id }) : null,
  };
}

const AUDIT_CSV_HEADER = [
  'id',
  'time',
  'actor_type',
  'actor_id',
  'actor',
  'action',
  'target_type',
  'target_id',
  'target',
  'ip',
  'before',
  'after',
] as const;

/**
 * The filtered range as CSV, newest first; `before`/`after` as JSON text. Capped like request
 * logs. Needs `audit.read`.
 */
export async function exportAuditEventsCsv(ctx: ServiceContext, input: TExportAudit): Promise<TCsvExport> {
  authorize(ctx, 'audit.read');
  const rows = await selectAudit(ctx.em, auditConditions(ctx.organizationId, input), CSV_EXPORT_MAX_ROWS + 1);
  const truncated = rows.length > CSV_EXPORT_MAX_ROWS;
  const events = (truncated ? rows.slice(0, CSV_EXPORT_MAX_ROWS) : rows).map(toAuditEvent);
  const csv = toCsv(
    AUDIT_CSV_HEADER,
    events.map((e) => [
      e.id,
      e.createdAt,
      e.actor.type,
      e.actor.id,
      e.actor.label,
      e.action,
      e.target.type,
      e.target.id,
      e.target.label,
      e.ip,
      e.before === null ? null : JSON.stringify(e.before),
      e.after === null ? null : JSON.stringify(e.after),
    ]),
  );
  const stamp = (iso: string) => iso.replace(/[:.]/g, '-');
  return {
    filename: `audit-log_${stamp(input.from)}_${stamp(input.to)}.csv`,
    csv,
    rows: events.length,
    truncated,
    note: truncated
      ? `Only the newest ${CSV_EXPORT_MAX_ROWS.toLocaleString('en-US')} events are included (back to ${events.at(-1)?.createdAt}). ` +
        'Export the earlier part with a range ending at that time.'
      : null,
  };
}
