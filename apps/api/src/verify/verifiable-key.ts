import type { ApiKeyEnvironment, Plan, QuotaLimits, RateLimitCaps } from '@keysmith/domain';

/**
 * The slice of a key record the hot path needs, flattened for speed: times are epoch ms,
 * the secret hash is raw bytes for `timingSafeEqual`, and the organization's plan is folded
 * in so one cache entry answers a request.
 */
export interface VerifiableKey {
  readonly id: string;
  readonly organizationId: string;
  readonly spaceId: string;
  readonly name: string;
  readonly environment: ApiKeyEnvironment;
  readonly scopes: readonly string[];
  readonly secretHash: Buffer;
  readonly revokedAt: number | null;
  readonly graceEndsAt: number | null;
  readonly active: boolean;
  readonly expiresAt: number | null;
  readonly ipAllowlist: readonly string[];
  readonly quotas: QuotaLimits;
  readonly hasQuotas: boolean;
  readonly rateLimit: { readonly perSecond: number | null; readonly perMinute: number | null } | null;
  readonly plan: Plan;
  readonly version: number;
  /** The rate caps in force, worked out once per record (pipeline.ts `capsOf`): not data, a memo. */
  caps?: { readonly plan: RateLimitCaps; readonly key: RateLimitCaps | null };
}

/** Row shape of the lookup query in {@link loadVerifiableKey}. */
interface KeyRow {
  id: string;
  organization_id: string;
  space_id: string;
  name: string;
  environment: ApiKeyEnvironment;
  scopes: string[] | string;
  secret_hash: string;
  revoked_at: Date | string | null;
  grace_ends_at: Date | string | null;
  active: boolean;
  expires_at: Date | string | null;
  ip_allowlist: string[] | string;
  quota_total: number | null;
  quota_daily: number | null;
  quota_weekly: number | null;
  quota_monthly: number | null;
  rate_limit_per_second: number | null;
  rate_limit_per_minute: number | null;
  plan: Plan;
  version: number;
}

export const KEY_LOOKUP_SQL = `select k.id, k.organization_id, k.space_id, k.name, k.environment, k.scopes, k.secret_hash,
  k.revoked_at, k.grace_ends_at, k.active, k.expires_at, k.ip_allowlist, k.quota_total, k.quota_daily,
  k.quota_weekly, k.quota_monthly, k.rate_limit_per_second, k.rate_limit_per_minute, o.plan, k.version
  from api_keys k join organizations o on o.id = k.organization_id where k.id = ?`;

function ms(value: Date | string | null): number | null {
  if (value === null) return null;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

function list(value: string[] | string): string[] {
  return typeof value === 'string' ? (JSON.parse(value) as string[]) : value;
}

export function toVerifiableKey(row: KeyRow): VerifiableKey {
  const quotas = {
    total: row.quota_total,
    daily: row.quota_daily,
    weekly: row.quota_weekly,
    monthly: row.quota_monthly,
  };
  const hasRate = row.rate_limit_per_second !== null || row.rate_limit_per_minute !== null;
  return {
    id: row.id,
    organizationId: row.organization_id,
    spaceId: row.space_id,
    name: row.name,
    environment: row.environment,
    scopes: list(row.scopes),
    secretHash: Buffer.from(row.secret_hash, 'hex'),
    revokedAt: ms(row.revoked_at),
    graceEndsAt: ms(row.grace_ends_at),
    active: row.active,
    expiresAt: ms(row.expires_at),
    ipAllowlist: list(row.ip_allowlist),
    quotas,
    hasQuotas: Object.values(quotas).some((q) => q !== null),
    rateLimit: hasRate
      ? { perSecond: row.rate_limit_per_second, perMinute: row.rate_limit_per_minute }
      : null,
    plan: row.plan,
    version: row.version,
  };
}

export type { KeyRow };
