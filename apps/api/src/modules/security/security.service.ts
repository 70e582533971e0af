import type { OrgScope } from '../../auth/org-scope.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError } from '../../errors.js';
import type { Counters } from '../../verify/counters.js';
import { recordAudit } from '../audit/audit.service.js';
import { cursorTimeSql, decodeTimeCursor, encodeTimeCursor } from '../event/time-cursor.js';
import type {
  TBlockedIps,
  TFailedAuth,
  TListSecurityEvents,
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

/** The organization's security events, newest first, optionally of one kind. */
export async function listSecurityEvents(
  em: Em,
  organizationId: string,
  input: TListSecurityEvents,
): Promise<TSecurityEventPage> {
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
 */
export async function blockedIps(
  em: Em,
  organizationId: string,
  counters: Pick<Counters, 'ipBlockedUntil'>,
  now: Date,
  onlyIp?: string,
): Promise<TBlockedIps> {
  const rows: { ip: string; key_id: string | null; at: string; details: SecurityRow['details'] }[] = await em
    .getConnection()
    .execute(
      `select distinct on (e.ip) e.ip, e.key_id, (extract(epoch from e.created_at) * 1000)::bigint::text as at, e.details
         from security_events e
        where e.organization_id = ? and e.kind = 'ip_blocked' and (e.details->>'until')::timestamptz > ?
          ${onlyIp === undefined ? '' : 'and e.ip = ?'}
        order by e.ip, e.created_at desc`,
      onlyIp === undefined ? [organizationId, now] : [organizationId, now, onlyIp],
    );
  const items: TBlockedIps['items'] = [];
  for (const row of rows) {
    const until = await counters.ipBlockedUntil(row.ip, now.getTime());
    if (until === null) continue;
    const details = parseDetails(row.details);
    items.push({
      ip: row.ip,
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
 */
export async function unblockIp(
  em: Em,
  scope: OrgScope,
  counters: Pick<Counters, 'ipBlockedUntil' | 'unblockIp'>,
  ip: string,
  now: Date = new Date(),
): Promise<{ ip: string; unblocked: true }> {
  const [blocked] = (await blockedIps(em, scope.orgId, counters, now, ip)).items;
  if (!blocked) throw AppError.notFound('Blocked IP');
  em.create(SecurityEvent, {
    id: newId('sec'),
    organizationId: scope.orgId,
    kind: 'ip_unblocked',
    ip,
    keyId: null,
    details: { by: scope.audit.label, was_blocked_until: blocked.until },
    createdAt: now,
  });
  recordAudit(em, scope.audit, {
    organizationId: scope.orgId,
    action: 'security.ip_unblock',
    target: { type: 'ip', id: null, label: ip },
    before: { blockedUntil: blocked.until },
    after: { blockedUntil: null },
  });
  await em.flush();
  await counters.unblockIp(ip);
  return { ip, unblocked: true };
}

/**
 * Failed-auth bursts: refused requests ({@link FAILED_AUTH_CODES}) naming the organization's
 * keys, per caller IP over the period (default: the last 24 hours), most first.
 */
export async function failedAuthByIp(
  em: Em,
  organizationId: string,
  input: { from?: string | undefined; to?: string | undefined },
  now: Date = new Date(),
): Promise<TFailedAuth> {
  const to = input.to ? new Date(input.to) : now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
  if (from >= to) throw AppError.field('BAD_REQUEST', 'to', 'The end must be after the start');
  const perCode = FAILED_AUTH_CODES.map((c) => `count(*) filter (where r.code = '${c}') as "${c}"`).join(
    ', ',
  );
  const rows: Record<string, string | number>[] = await em.getConnection().execute(
    `select r.ip, count(*) as failures, count(distinct r.key_id) as keys,
            (extract(epoch from min(r.time)) * 1000)::bigint::text as first_at,
            (extract(epoch from max(r.time)) * 1000)::bigint::text as last_at, ${perCode}
       from request_logs r
      where r.organization_id = ? and r.time >= ? and r.time < ? and r.ip is not null
        and r.code in (${FAILED_AUTH_CODES.map(() => '?').join(', ')})
      group by r.ip order by count(*) desc, r.ip limit 100`,
    [organizationId, from, to, ...FAILED_AUTH_CODES],
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    items: rows.map((r) => ({
      ip: String(r.ip),
      failures: Number(r.failures),
      keys: Number(r.keys),
      firstAt: new Date(Number(r.first_at)).toISOString(),
      lastAt: new Date(Number(r.last_at)).toISOString(),
      codes: Object.fromEntries(
        FAILED_AUTH_CODES.map((c) => [c, Number(r[c] ?? 0)] as const).filter(([, n]) => n > 0),
      ),
    })),
  };
}
