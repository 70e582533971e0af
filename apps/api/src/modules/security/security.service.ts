import { auditOf, authorize, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError } from '../../errors.js';
import { blockSubject, type Counters } from '../../verify/ports.js';
import { recordAudit } from '../audit/audit.service.js';
import { cursorTimeSql, decodeTimeCursor, encodeTimeCursor } from '../event/time-cursor.js';
import type {
  TBlockedIps,
  TFailedAuth,
  TListSecurityEvents,
  TRateLimitHits,
  TSecurityEventPage,
} from './security.schemas.js';
import type { TSecurityEventKind } from './security-event.entity.js';
import { SecurityEvent } from './security-event.entity.js';

const DAY_MS = 86_400_000;

/**
 * Refusals of an identified key of the organization that point at someone probing or misusing
 * it: revoked, inactive or expired keys, calls from outside the allowlist, missing scopes.
 * (`INVALID` answers name no key of a tenant and have no log row; they count towards IP
 * blocks instead.)
 */
export const FAILED_AUTH_CODES = ['REVOKED', 'INACTIVE', 'EXPIRED', 'IP_NOT_ALLOWED', 'FORBIDDEN'] as const;

interface SecurityRow {
  id: string;
  kind: TSecurityEventKind;
  created_at: Date | string;
  cursor_time: string;
  ip: string | null;
  key_id: string | null;
  key_name: string | null;
  details: Record<string, unknown> | string;
}

function parseDetails(value: SecurityRow['details']): Record<string, unknown> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;
}

/** The organization's security events, newest first, optionally of one kind. Needs `security.read`. */
export async function listSecurityEvents(
  ctx: ServiceContext,
  input: TListSecurityEvents,
): Promise<TSecurityEventPage> {
  authorize(ctx, 'security.read');
  const { em, organizationId } = ctx;
  const conditions = ['e.organization_id = ?'];
  const params: unknown[] = [organizationId];
  if (input.kind !== undefined) {
    conditions.push('e.kind = ?');
    params.push(input.kind);
  }
  if (input.cursor !== undefined) {
    const cursor = decodeTimeCursor(input.cursor);
    conditions.push('(e.created_at, e.id) < (?::timestamptz, ?)');
    params.push(cursor.time, cursor.id);
  }
  const rows: SecurityRow[] = await em.getConnection().execute(
    `select e.id, e.kind, e.created_at, ${cursorTimeSql('e.created_at')} as cursor_time, e.ip, e.key_id, k.name as key_name, e.details
       from security_events e
       left join api_keys k on k.id = e.key_id and k.organization_id = e.organization_id
      where ${conditions.join(' and ')}
      order by e.created_at desc, e.id desc limit ?`,
    [...params, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      createdAt: new Date(r.created_at).toISOString(),
      ip: r.ip,
      keyId: r.key_id,
      keyName: r.key_name,
      details: parseDetails(r.details),
    })),
    nextCursor:
      rows.length > input.limit && last ? encodeTimeCursor({ time: last.cursor_time, id: last.id }) : null,
  };
}

/**
 * IPs blocked now (§3 failed attempts) whose block was attributed to the organization: the
 * newest `ip_blocked` event per IP that has not run out, confirmed against the counters (the
 * source of truth: an IP unblocked since, or forgotten by a restart, is not listed).
 * Needs `security.read`.
 */
export async function blockedIps(
  ctx: ServiceContext,
  counters: Pick<Counters, 'ipBlockedUntil'>,
): Promise<TBlockedIps> {
  authorize(ctx, 'security.read');
  return findBlockedIps(ctx.em, ctx.organizationId, counters, ctx.now);
}

/** {@link blockedIps} without the permission check, optionally for one IP only. */
async function findBlockedIps(
  em: Em,
  organizationId: string,
  counters: Pick<Counters, 'ipBlockedUntil'>,
  now: Date,
  onlyIp?: string,
): Promise<TBlockedIps> {
  const rows: {
    ip: string;
    scope: string;
    key_id: string | null;
    at: string;
    details: SecurityRow['details'];
  }[] = await em.getConnection().execute(
    `select distinct on (e.ip, scope) e.ip, coalesce(e.details->>'scope', 'global') as scope, e.key_id,
            (extract(epoch from e.created_at) * 1000)::bigint::text as at, e.details
       from security_events e
      where e.organization_id = ? and e.kind = 'ip_blocked' and (e.details->>'until')::timestamptz > ?
        ${onlyIp === undefined ? '' : 'and e.ip = ?'}
      order by e.ip, scope, e.created_at desc`,
    onlyIp === undefined ? [organizationId, now] : [organizationId, now, onlyIp],
  );
  const items: TBlockedIps['items'] = [];
  for (const row of rows) {
    const subject = blockSubject(row.scope === 'organization' ? organizationId : null, row.ip);
    const until = await counters.ipBlockedUntil(subject, now.getTime());
    if (until === null) continue;
    const details = parseDetails(row.details);
    items.push({
      ip: row.ip,
      scope: row.scope === 'organization' ? 'organization' : 'global',
      until: new Date(until).toISOString(),
      blockedAt: new Date(Number(row.at)).toISOString(),
      failures: typeof details.failures === 'number' ? details.failures : null,
      keyId: row.key_id,
    });
  }
  items.sort((a, b) => b.blockedAt.localeCompare(a.blockedAt));
  return { items };
}

/**
 * Lifts a block attributed to the organization (an IP blocked because of another tenant's
 * keys is not this tenant's to lift: NOT_FOUND). The `ip_unblocked` event and the audit row
 * are written first, then the counters forget the block, so no unblock goes unrecorded.
 * Needs `security.manage`.
 */
export async function unblockIp(
  ctx: ServiceContext,
  ip: string,
  counters: Pick<Counters, 'ipBlockedUntil' | 'unblockIp'>,
): Promise<{ ip: string; unblocked: true }> {
  authorize(ctx, 'security.manage');
  const { em, organizationId, now } = ctx;
  const audit = auditOf(ctx);
  const blocks = (await findBlockedIps(em, organizationId, counters, now, ip)).items;
  const [blocked] = blocks;
  if (!blocked) throw AppError.notFound('Blocked IP');
  em.create(SecurityEvent, {
    id: newId('sec'),
    organizationId,
    kind: 'ip_unblocked',
    ip,
    keyId: null,
    details: { by: audit.label, was_blocked_until: blocked.until },
    createdAt: now,
  });
  recordAudit(em, audit, {
    organizationId,
    action: 'security.ip_unblock',
    target: { type: 'ip', id: null, label: ip },
    before: { blockedUntil: blocked.until },
    after: { blockedUntil: null },
  });
  await em.flush();
  for (const block of blocks)
    await counters.unblockIp(blockSubject(block.scope === 'organization' ? organizationId : null, ip));
  return { ip, unblocked: true };
}

/** The period of a monitoring query: `to` defaults to now, `from` to 24 hours before it. */
function period(
  input: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { from: Date; to: Date } {
  const to = input.to ? new Date(input.to) : now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
  if (from >= to) throw AppError.field('BAD_REQUEST', 'to', 'The end must be after the start');
  return { from, to };
}

interface FailureGroup {
  ip: string;
  code: string;
  key_id: string | null;
  n: string | number;
  first_at: string;
  last_at: string;
}

/**
 * Failed authentication per caller IP over the period (default: the last 24 hours), most
 * first: `MISSING`/`INVALID` attempts attributed to the organization (`auth_failures`: its
 * backend reported them through verify, or they named one of its key ids with a wrong secret)
 * and refusals of its known keys ({@link FAILED_AUTH_CODES}, from the request logs), with the
 * key ids they named and whether the IP is blocked now (§6: visible before it becomes a block).
 * Needs `security.read`.
 */
export async function failedAuthByIp(
  ctx: ServiceContext,
  input: {
    from?: string | undefined;
    to?: string | undefined;
    ip?: string | undefined;
    keyId?: string | undefined;
  },
  counters: Pick<Counters, 'ipBlockedUntil'>,
): Promise<TFailedAuth> {
  authorize(ctx, 'security.read');
  const { em, organizationId, now } = ctx;
  const { from, to } = period(input, now);
  const logFilters: string[] = [];
  const failureFilters: string[] = [];
  const logParams: unknown[] = [];
  const failureParams: unknown[] = [];
  if (input.ip !== undefined) {
    logFilters.push('and r.ip = ?');
    logParams.push(input.ip);
    failureFilters.push('and f.ip = ?');
    failureParams.push(input.ip);
  }
  if (input.keyId !== undefined) {
    logFilters.push('and r.key_id = ?');
    logParams.push(input.keyId);
    failureFilters.push('and f.key_id = ?');
    failureParams.push(input.keyId);
  }
  const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::bigint::text`;
  const groups: FailureGroup[] = await em.getConnection().execute(
    `select r.ip, r.code, r.key_id, count(*) as n, ${ms('min(r.time)')} as first_at, ${ms('max(r.time)')} as last_at
       from request_logs r
      where r.organization_id = ? and r.time >= ? and r.time < ? and r.ip is not null
        and r.code in (${FAILED_AUTH_CODES.map(() => '?').join(', ')}) ${logFilters.join(' ')}
      group by r.ip, r.code, r.key_id
     union all
     select f.ip, f.code, nullif(f.key_id, ''), sum(f.count), ${ms('min(f.minute)')}, ${ms('max(f.minute)')}
       from auth_failures f
      where f.organization_id = ? and f.minute >= date_trunc('minute', ?::timestamptz) and f.minute < ?
        ${failureFilters.join(' ')}
      group by f.ip, f.code, f.key_id
      limit 20000`,
    [
      organizationId,
      from,
      to,
      ...FAILED_AUTH_CODES,
      ...logParams,
      organizationId,
      from,
      to,
      ...failureParams,
    ],
  );
  const byIp = new Map<
    string,
    { failures: number; first: number; last: number; codes: Map<string, number>; keys: Map<string, number> }
  >();
  for (const g of groups) {
    let entry = byIp.get(g.ip);
    if (!entry) {
      entry = { failures: 0, first: Number.POSITIVE_INFINITY, last: 0, codes: new Map(), keys: new Map() };
      byIp.set(g.ip, entry);
    }
    const n = Number(g.n);
    entry.failures += n;
    entry.first = Math.min(entry.first, Number(g.first_at));
    entry.last = Math.max(entry.last, Number(g.last_at));
    entry.codes.set(g.code, (entry.codes.get(g.code) ?? 0) + n);
    if (g.key_id) entry.keys.set(g.key_id, (entry.keys.get(g.key_id) ?? 0) + n);
  }
  const top = [...byIp.entries()]
    .sort((x, y) => y[1].failures - x[1].failures || (x[0] < y[0] ? -1 : 1))
    .slice(0, 100);
  const items: TFailedAuth['items'] = [];
  for (const [ip, entry] of top) {
    const t = now.getTime();
    const blocks = await Promise.all([
      counters.ipBlockedUntil(blockSubject(organizationId, ip), t),
      counters.ipBlockedUntil(blockSubject(null, ip), t),
    ]);
    const until = Math.max(...blocks.map((b) => b ?? 0));
    items.push({
      ip,
      failures: entry.failures,
      keys: entry.keys.size,
      keyIds: [...entry.keys.entries()]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 10)
        .map(([id]) => id),
      firstAt: new Date(entry.first).toISOString(),
      lastAt: new Date(entry.last).toISOString(),
      codes: Object.fromEntries(entry.codes),
      blockedUntil: until > 0 ? new Date(until).toISOString() : null,
    });
  }
  return { from: from.toISOString(), to: to.toISOString(), items };
}

/**
 * Rate-limit (429) and quota refusals of the organization's keys over the period, per key and
 * time bucket (an hour; a day for periods over a week), busiest keys first (at most 50).
 * Needs `security.read`.
 */
export async function rateLimitHits(
  ctx: ServiceContext,
  input: { from?: string | undefined; to?: string | undefined; keyId?: string | undefined },
): Promise<TRateLimitHits> {
  authorize(ctx, 'security.read');
  const { em, organizationId, now } = ctx;
  const { from, to } = period(input, now);
  const bucketMs = to.getTime() - from.getTime() > 7 * DAY_MS ? DAY_MS : 3_600_000;
  const unit = bucketMs === DAY_MS ? 'day' : 'hour';
  const rows: {
    key_id: string;
    key_name: string | null;
    at: string;
    rl: string | number;
    qe: string | number;
  }[] = await em.getConnection().execute(
    `select r.key_id, k.name as key_name, (extract(epoch from date_trunc('${unit}', r.time)) * 1000)::bigint::text as at,
              count(*) filter (where r.code = 'RATE_LIMITED') as rl, count(*) filter (where r.code = 'QUOTA_EXCEEDED') as qe
         from request_logs r
         left join api_keys k on k.id = r.key_id and k.organization_id = r.organization_id
        where r.organization_id = ? and r.time >= ? and r.time < ? and r.key_id is not null
          and r.code in ('RATE_LIMITED', 'QUOTA_EXCEEDED') ${input.keyId === undefined ? '' : 'and r.key_id = ?'}
        group by r.key_id, k.name, 3 order by 3`,
    input.keyId === undefined ? [organizationId, from, to] : [organizationId, from, to, input.keyId],
  );
  const keys = new Map<string, TRateLimitHits['keys'][number]>();
  for (const row of rows) {
    let key = keys.get(row.key_id);
    if (!key) {
      key = { keyId: row.key_id, keyName: row.key_name, rateLimited: 0, quotaExceeded: 0, series: [] };
      keys.set(row.key_id, key);
    }
    const rl = Number(row.rl);
    const qe = Number(row.qe);
    key.rateLimited += rl;
    key.quotaExceeded += qe;
    key.series.push({ at: new Date(Number(row.at)).toISOString(), rateLimited: rl, quotaExceeded: qe });
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMs,
    keys: [...keys.values()]
      .sort((x, y) => y.rateLimited + y.quotaExceeded - (x.rateLimited + x.quotaExceeded))
      .slice(0, 50),
  };
}
