import {
  computeRollingWindow,
  PLAN_LIMITS,
  type Plan,
  QUOTA_WINDOW_NAMES,
  type QuotaWindowName,
  type UsageBucket,
} from '@keysmith/domain';
import type { FilterQuery } from '@mikro-orm/core';
import { readableSpaces } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import { AppError } from '../../errors.js';
import type { PersistedUsage } from '../../verify/ports.js';
import { ApiKey } from '../api-key/api-key.entity.js';
import { keyStateFilter } from '../api-key/key-state.js';
import { Organization } from '../organization/organization.entity.js';
import { loadReadableKey, resolveLogScope, scopeConditions } from '../request-log/request-log.service.js';
import type {
  TKeySeries,
  TKeyUsage,
  TQuotaWindowUsage,
  TUsageOverview,
  TUsageRange,
} from './usage.schemas.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The persisted side of the hot path's usage: this process's pending credits and the buckets. */
export interface UsageReader {
  /** Writes this process's not yet flushed credits. */
  flush(): Promise<unknown>;
  load(keyId: string, now: number): Promise<PersistedUsage>;
}

function limitOf(key: ApiKey, window: QuotaWindowName): number | null {
  switch (window) {
    case 'total':
      return key.quotaTotal ?? null;
    case 'daily':
      return key.quotaDaily ?? null;
    case 'weekly':
      return key.quotaWeekly ?? null;
    case 'monthly':
      return key.quotaMonthly ?? null;
  }
}

function bucketsOf(usage: PersistedUsage, window: QuotaWindowName): UsageBucket[] {
  if (window === 'total') return [{ start: 0, credits: usage.total }];
  return window === 'daily' ? usage.minute : usage.hour;
}

/**
 * A key's quota windows as the API enforces them: this process's pending credits are flushed
 * first, then the usage buckets (minute buckets for daily, hour buckets for weekly and
 * monthly, the total row) go through the domain's `computeRollingWindow`, the arithmetic the
 * verify pipeline uses. Other API processes' credits appear after their next flush (≤ 1 s).
 */
export async function keyUsage(ctx: ServiceContext, usage: UsageReader, keyId: string): Promise<TKeyUsage> {
  const key = await loadReadableKey(ctx, keyId);
  await usage.flush();
  const now = ctx.now.getTime();
  const persisted = await usage.load(key.id, now);
  const windows: TQuotaWindowUsage[] = [];
  for (const window of QUOTA_WINDOW_NAMES) {
    const limit = limitOf(key, window);
    if (limit === null) continue;
    const state = computeRollingWindow(window, bucketsOf(persisted, window), limit, now);
    windows.push({
      window,
      limit,
      used: state.used,
      remaining: state.remaining,
      nextFreeAt: state.nextFreeAt === null ? null : new Date(state.nextFreeAt).toISOString(),
    });
  }
  return { keyId: key.id, asOf: new Date(now).toISOString(), windows };
}

const RANGES: Record<TUsageRange, { bucket: 'hour' | 'day'; sizeMs: number; count: number }> = {
  '24h': { bucket: 'hour', sizeMs: HOUR_MS, count: 24 },
  '7d': { bucket: 'hour', sizeMs: HOUR_MS, count: 7 * 24 },
  '30d': { bucket: 'day', sizeMs: DAY_MS, count: 30 },
};

/**
 * Requests of one key over time from its request logs: UTC hour buckets for 24 h and 7 d, UTC
 * day buckets for 30 d, the last one being the current (partial) bucket. Admitted means `VALID`;
 * every other outcome is refused. Every bucket is present, zero-filled.
 */
export async function keySeries(ctx: ServiceContext, keyId: string, range: TUsageRange): Promise<TKeySeries> {
  const scope = await resolveLogScope(ctx, { keyId });
  if (scope.kind !== 'key') throw AppError.notFound('API key');
  const { bucket, sizeMs, count } = RANGES[range];
  const now = ctx.now.getTime();
  const end = Math.floor(now / sizeMs) * sizeMs + sizeMs;
  const start = end - count * sizeMs;
  const where = scopeConditions(ctx.organizationId, scope);
  const rows: { b: string; admitted: number | string; refused: number | string; credits: number | string }[] =
    await ctx.em.getConnection().execute(
      `select floor(extract(epoch from r.time) * 1000 / ?)::bigint::text as b,
              count(*) filter (where r.code = 'VALID') as admitted,
              count(*) filter (where r.code <> 'VALID') as refused,
              coalesce(sum(r.credits) filter (where r.code = 'VALID'), 0) as credits
         from request_logs r
        where ${where.sql} and r.time >= ? and r.time < ?
        group by 1`,
      [sizeMs, ...where.params, new Date(start), new Date(end)],
    );
  const byBucket = new Map(rows.map((r) => [Number(r.b) * sizeMs, r]));
  const points: TKeySeries['points'] = [];
  const totals = { admitted: 0, refused: 0, credits: 0 };
  for (let t = start; t < end; t += sizeMs) {
    const row = byBucket.get(t);
    const point = {
      start: new Date(t).toISOString(),
      admitted: Number(row?.admitted ?? 0),
      refused: Number(row?.refused ?? 0),
      credits: Number(row?.credits ?? 0),
    };
    totals.admitted += point.admitted;
    totals.refused += point.refused;
    totals.credits += point.credits;
    points.push(point);
  }
  return {
    keyId: scope.keyId,
    range,
    bucket,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    points,
    totals,
    verifyCalls: await verifyCallSeries(ctx, scope.keyId, start, end, sizeMs),
  };
}

/**
 * A `keys:verify` caller's own calls over the same buckets (§5: counted per minute and answer
 * code, not logged row by row): how many keys it checked and what they answered. Null when the
 * key made none in the range (most keys never call verify).
 */
async function verifyCallSeries(
  ctx: ServiceContext,
  keyId: string,
  start: number,
  end: number,
  sizeMs: number,
): Promise<TKeySeries['verifyCalls']> {
  const rows: { b: string; code: string; n: number | string }[] = await ctx.em.getConnection().execute(
    `select floor(extract(epoch from v.minute) * 1000 / ?)::bigint::text as b, v.code, sum(v.count) as n
       from verify_calls v
      where v.organization_id = ? and v.key_id = ? and v.minute >= ? and v.minute < ?
      group by 1, 2`,
    [sizeMs, ctx.organizationId, keyId, new Date(start), new Date(end)],
  );
  if (rows.length === 0) return null;
  const byBucket = new Map<number, { valid: number; refused: number }>();
  const byCode: Record<string, number> = {};
  for (const row of rows) {
    const n = Number(row.n);
    const bucket = byBucket.get(Number(row.b) * sizeMs) ?? { valid: 0, refused: 0 };
    if (row.code === 'VALID') bucket.valid += n;
    else bucket.refused += n;
    byBucket.set(Number(row.b) * sizeMs, bucket);
    byCode[row.code] = (byCode[row.code] ?? 0) + n;
  }
  const points: NonNullable<TKeySeries['verifyCalls']>['points'] = [];
  for (let t = start; t < end; t += sizeMs) {
    const bucket = byBucket.get(t);
    points.push({
      start: new Date(t).toISOString(),
      valid: bucket?.valid ?? 0,
      refused: bucket?.refused ?? 0,
    });
  }
  const calls = Object.values(byCode).reduce((a, b) => a + b, 0);
  return { calls, byCode, points };
}

/**
 * Rows the rate limiter let through: admitted ones and quota refusals (the quota is checked
 * after the rate limit), minus a `keys:verify` caller's own calls, which are not rate-limited
 * (§5); the verified key's row (`VERIFY`) is what counts.
 */
const RATE_COUNTED = `r.code in ('VALID', 'QUOTA_EXCEEDED') and not (r.method = 'POST' and r.endpoint = '/v1/keys/verify')`;

async function peakPer(ctx: ServiceContext, unit: 'second' | 'minute', since: Date): Promise<number> {
  const [row] = await ctx.em.getConnection().execute<{ peak: number | string }[]>(
    `select coalesce(max(n), 0) as peak from (
       select count(*) as n from request_logs r
        where r.organization_id = ? and r.time >= ? and ${RATE_COUNTED}
        group by date_trunc('${unit}', r.time)) per_${unit}`,
    [ctx.organizationId, since],
  );
  return Number(row?.peak ?? 0);
}

/**
 * The organization at a glance: its busiest keys and request totals of the last 24 h (over
 * the spaces the caller may read, like the key list), its plan caps against the busiest
 * calendar second and minute of the last hour (account-wide, as the caps are), and key counts.
 */
export async function usageOverview(ctx: ServiceContext): Promise<TUsageOverview> {
  const now = ctx.now;
  const org = await ctx.em.findOneOrFail(
    Organization,
    { id: ctx.organizationId },
    { failHandler: () => AppError.notFound('Organization') },
  );
  const plan = org.plan as Plan;
  const scope = await resolveLogScope(ctx, {});
  const where = scopeConditions(ctx.organizationId, scope);
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const conn = ctx.em.getConnection();

  const busiest: { key_id: string; requests: number | string; admitted: number | string }[] =
    await conn.execute(
      `select r.key_id, count(*) as requests, count(*) filter (where r.code = 'VALID') as admitted
       from request_logs r
      where ${where.sql} and r.time >= ? and r.key_id is not null
      group by r.key_id order by count(*) desc, r.key_id limit 10`,
      [...where.params, dayAgo],
    );
  const [totals] = await conn.execute<{ requests: number | string; admitted: number | string }[]>(
    `select count(*) as requests, count(*) filter (where r.code = 'VALID') as admitted
       from request_logs r where ${where.sql} and r.time >= ?`,
    [...where.params, dayAgo],
  );
  const [limited] = await conn.execute<{ n: number | string }[]>(
    `select count(*) as n from request_logs r
      where r.organization_id = ? and r.time >= ? and r.code = 'RATE_LIMITED'`,
    [ctx.organizationId, hourAgo],
  );
  const [peakSecond, peakMinute] = [
    await peakPer(ctx, 'second', hourAgo),
    await peakPer(ctx, 'minute', hourAgo),
  ];

  const keys = await ctx.em.find(
    ApiKey,
    { id: { $in: busiest.map((b) => b.key_id) }, organization: ctx.organizationId },
    { populate: ['space'] },
  );
  const keyById = new Map(keys.map((k) => [k.id, k]));

  const visible: FilterQuery<ApiKey> = { organization: ctx.organizationId };
  const spaces = readableSpaces(ctx.principal);
  if (spaces !== 'all') visible.space = { $in: spaces };
  const [total, active] = await Promise.all([
    ctx.em.count(ApiKey, visible),
    ctx.em.count(ApiKey, { $and: [visible, keyStateFilter('active', now)] }),
  ]);

  const caps = PLAN_LIMITS[plan];
  const requests = Number(totals?.requests ?? 0);
  const admitted = Number(totals?.admitted ?? 0);
  return {
    asOf: now.toISOString(),
    plan,
    busiestKeys: busiest.map((b) => {
      const key = keyById.get(b.key_id);
      return {
        keyId: b.key_id,
        name: key?.name ?? null,
        preview: key?.preview ?? null,
        space: key ? { id: key.space.id, name: key.space.name, logoColor: key.space.logoColor } : null,
        requests: Number(b.requests),
        admitted: Number(b.admitted),
        refused: Number(b.requests) - Number(b.admitted),
      };
    }),
    last24h: { requests, admitted, refused: requests - admitted },
    headroom: {
      perSecond: {
        cap: caps.perSecond,
        peak: peakSecond,
        headroom: Math.max(0, caps.perSecond - peakSecond),
      },
      perMinute: {
        cap: caps.perMinute,
        peak: peakMinute,
        headroom: Math.max(0, caps.perMinute - peakMinute),
      },
      rateLimited: Number(limited?.n ?? 0),
    },
    keys: { total, active },
  };
}
