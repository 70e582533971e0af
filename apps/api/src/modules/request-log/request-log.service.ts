import { principalCan, readableSpaces } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import type { Em } from '../../db/orm.js';
import { pgTextArray } from '../../db/sql.js';
import { AppError } from '../../errors.js';
import { ApiKey } from '../api-key/api-key.entity.js';
import { cursorTimeSql, decodeTimeCursor, encodeTimeCursor } from '../event/time-cursor.js';
import { Space } from '../space/space.entity.js';
import { CSV_EXPORT_MAX_ROWS, toCsv } from './csv.js';
import type {
  TCsvExport,
  TExportLogs,
  TListLogs,
  TLogFilters,
  TLogPage,
  TRequestLog,
} from './request-log.schemas.js';

/**
 * The rows a principal may read: one key's, one space's, or those of a set of spaces (`all`
 * for org owners and admins). Resolving it is where visibility is decided: a key or space the
 * principal may not see is NOT_FOUND, exactly as if it did not exist.
 */
export type LogScope =
  | { kind: 'key'; keyId: string; spaceId: string }
  | { kind: 'space'; spaceId: string }
  | { kind: 'spaces'; spaceIds: 'all' | string[] };

/** Loads a key of the tenant that the principal may read, else NOT_FOUND. */
export async function loadReadableKey(ctx: ServiceContext, keyId: string): Promise<ApiKey> {
  const key = await ctx.em.findOne(ApiKey, { id: keyId, organization: ctx.organizationId });
  if (!key || !principalCan(ctx.principal, 'key.read', key.space.id)) throw AppError.notFound('API key');
  return key;
}

export async function resolveLogScope(
  ctx: ServiceContext,
  target: { keyId?: string | undefined; spaceId?: string | undefined },
): Promise<LogScope> {
  if (target.keyId !== undefined && target.spaceId !== undefined) {
    throw AppError.field('BAD_REQUEST', 'spaceId', 'Filter by a key or by a space, not both');
  }
  if (target.keyId !== undefined) {
    const key = await loadReadableKey(ctx, target.keyId);
    if (!principalCan(ctx.principal, 'log.read', key.space.id)) {
      throw new AppError('FORBIDDEN', 'You do not have permission to read these logs');
    }
    return { kind: 'key', keyId: key.id, spaceId: key.space.id };
  }
  if (target.spaceId !== undefined) {
    const space = await ctx.em.findOne(Space, { id: target.spaceId, organization: ctx.organizationId });
    if (!space || !principalCan(ctx.principal, 'space.read', space.id)) throw AppError.notFound('Space');
    if (!principalCan(ctx.principal, 'log.read', space.id)) {
      throw new AppError('FORBIDDEN', 'You do not have permission to read these logs');
    }
    return { kind: 'space', spaceId: space.id };
  }
  const spaces = readableSpaces(ctx.principal);
  return {
    kind: 'spaces',
    spaceIds: spaces === 'all' ? 'all' : spaces.filter((id) => principalCan(ctx.principal, 'log.read', id)),
  };
}

/** A WHERE clause over `request_logs r` with its parameters, always tenant-filtered first. */
export interface SqlFilter {
  sql: string;
  params: unknown[];
}

/** The tenant and scope conditions; callers add their own. */
export function scopeConditions(organizationId: string, scope: LogScope): SqlFilter {
  const conditions = ['r.organization_id = ?'];
  const params: unknown[] = [organizationId];
  if (scope.kind === 'key') {
    conditions.push('r.key_id = ?');
    params.push(scope.keyId);
  } else if (scope.kind === 'space') {
    conditions.push('r.space_id = ?');
    params.push(scope.spaceId);
  } else if (scope.spaceIds !== 'all') {
    conditions.push('r.space_id = any(?::text[])');
    params.push(pgTextArray(scope.spaceIds));
  }
  return { sql: conditions.join(' and '), params };
}

/** `like` pattern matching values that start with `prefix` literally. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filterConditions(organizationId: string, scope: LogScope, filters: TLogFilters): SqlFilter {
  const base = scopeConditions(organizationId, scope);
  const conditions = [base.sql];
  const params = [...base.params];
  const from = filters.from ? new Date(filters.from) : null;
  const to = filters.to ? new Date(filters.to) : null;
  if (from && to && from >= to) throw AppError.field('BAD_REQUEST', 'to', 'The end must be after the start');
  if (filters.status !== undefined) {
    conditions.push('r.status = ?');
    params.push(filters.status);
  }
  if (filters.code !== undefined) {
    conditions.push('r.code = ?');
    params.push(filters.code);
  }
  if (filters.ip !== undefined) {
    conditions.push('r.ip = ?');
    params.push(filters.ip);
  }
  if (filters.endpoint) {
    conditions.push(`r.endpoint like ? escape '\\'`);
    params.push(likePrefix(filters.endpoint));
  }
  if (from) {
    conditions.push('r.time >= ?');
    params.push(from);
  }
  if (to) {
    conditions.push('r.time < ?');
    params.push(to);
  }
  return { sql: conditions.join(' and '), params };
}

interface LogRow {
  id: string;
  time: Date | string;
  cursor_time: string;
  key_id: string | null;
  key_name: string | null;
  space_id: string | null;
  method: string;
  endpoint: string;
  status: number | string;
  duration_ms: number | string;
  ip: string | null;
  credits: number | string;
  code: string;
}

const SELECT_LOGS = `select r.id::text as id, r.time, ${cursorTimeSql('r.time')} as cursor_time, r.key_id, k.name as key_name,
  r.space_id, r.method, r.endpoint, r.status, r.duration_ms, r.ip, r.credits, r.code
  from request_logs r left join api_keys k on k.id = r.key_id and k.organization_id = r.organization_id`;

async function selectLogs(em: Em, where: SqlFilter, limit: number): Promise<LogRow[]> {
  return em
    .getConnection()
    .execute(`${SELECT_LOGS} where ${where.sql} order by r.time desc, r.id desc limit ?`, [
      ...where.params,
      limit,
    ]);
}

function toRequestLog(row: LogRow): TRequestLog {
  return {
    id: row.id,
    time: new Date(row.time).toISOString(),
    keyId: row.key_id,
    keyName: row.key_name,
    spaceId: row.space_id,
    method: row.method,
    endpoint: row.endpoint,
    status: Number(row.status),
    durationMs: Math.round(Number(row.duration_ms) * 1000) / 1000,
    ip: row.ip,
    credits: Number(row.credits),
    code: row.code,
  };
}

/**
 * One page of request logs, newest first, by keyset pagination on `(time, id)` (served by the
 * key, space or organization `(…, time, id)` index). Filters combine with AND; `endpoint`
 * matches a prefix. Logs are written in batches, so the newest second may not be there yet.
 */
export async function listRequestLogs(ctx: ServiceContext, input: TListLogs): Promise<TLogPage> {
  const scope = await resolveLogScope(ctx, input);
  const where = filterConditions(ctx.organizationId, scope, input);
  if (input.cursor !== undefined) {
    const cursor = decodeTimeCursor(input.cursor);
    if (!/^\d{1,19}$/.test(cursor.id)) throw AppError.field('BAD_REQUEST', 'cursor', 'Invalid cursor');
    where.sql += ' and (r.time, r.id) < (?::timestamptz, ?::bigint)';
    where.params.push(cursor.time, cursor.id);
  }
  const rows = await selectLogs(ctx.em, where, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toRequestLog),
    nextCursor:
      rows.length > input.limit && last ? encodeTimeCursor({ time: last.cursor_time, id: last.id }) : null,
  };
}

const LOG_CSV_HEADER = [
  'id',
  'time',
  'key_id',
  'key_name',
  'space_id',
  'method',
  'endpoint',
  'status',
  'duration_ms',
  'ip',
  'credits',
  'code',
] as const;

function fileStamp(iso: string): string {
  return iso.replace(/[:.]/g, '-');
}

/**
 * The filtered range as CSV (RFC 4180), newest first, at most {@link CSV_EXPORT_MAX_ROWS}
 * rows; a longer range is cut to its newest rows and `note` says where it stops, so the
 * admin can export the rest with an earlier `to`. Same visibility rules as the list.
 */
export async function exportRequestLogsCsv(
  ctx: ServiceContext,
  input: TExportLogs,
  maxRows = CSV_EXPORT_MAX_ROWS,
): Promise<TCsvExport> {
  const scope = await resolveLogScope(ctx, input);
  const where = filterConditions(ctx.organizationId, scope, input);
  const rows = await selectLogs(ctx.em, where, maxRows + 1);
  const truncated = rows.length > maxRows;
  const kept = truncated ? rows.slice(0, maxRows) : rows;
  const logs = kept.map(toRequestLog);
  const oldest = logs.at(-1)?.time ?? null;
  const csv = toCsv(
    LOG_CSV_HEADER,
    logs.map((l) => [
      l.id,
      l.time,
      l.keyId,
      l.keyName,
      l.spaceId,
      l.method,
      l.endpoint,
      l.status,
      l.durationMs,
      l.ip,
      l.credits,
      l.code,
    ]),
  );
  return {
    filename: `request-logs_${fileStamp(input.from)}_${fileStamp(input.to)}.csv`,
    csv,
    rows: logs.length,
    truncated,
    note: truncated
      ? `Only the newest ${maxRows.toLocaleString('en-US')} rows are included (back to ${oldest}). ` +
        'Export the earlier part with a range ending at that time.'
      : null,
  };
}
