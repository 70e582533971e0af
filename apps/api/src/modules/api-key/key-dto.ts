import { initialsOf, type KeyPolicy, NO_KEY_POLICY, QUOTA_WINDOWS } from '@keysmith/domain';
import type { Em } from '../../db/orm.js';
import { pgTextArray } from '../../db/sql.js';
import { keyPolicyStatusDto } from '../key-policy/key-policy.service.js';
import { ApiKey } from './api-key.entity.js';
import type { TApiKeyDto } from './api-key.schemas.js';
import { iso } from './key-fields.js';
import { keyStateOf, revokedSinceOf } from './key-state.js';

/** Credits a key used in each rolling window (what verification enforces). */
export type TWindowUsage = TApiKeyDto['usage'];
const NO_USAGE: TWindowUsage = { total: 0, daily: 0, weekly: 0, monthly: 0 };

/**
 * The admin's view of a key. `policy` is the rules in force in its space (§10), from which the
 * DTO says whether the key is due for rotation or out of policy; `ownerKeyName` names the key
 * that created it, when a key did.
 */
export function toKeyDto(
  key: ApiKey,
  used: boolean,
  now: Date,
  usage: TWindowUsage = NO_USAGE,
  policy: KeyPolicy = NO_KEY_POLICY,
  ownerKeyName: string | null = null,
): TApiKeyDto {
  const space = key.space;
  const owner = key.ownerUser ?? null;
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    preview: key.preview,
    space: {
      id: space.id,
      name: space.name,
      logoColor: space.logoColor,
      logoUrl: space.logoUrl ?? null,
      initials: initialsOf(space.name),
    },
    owner: owner
      ? {
          id: owner.id,
          displayName: owner.displayName,
          avatarColor: owner.avatarColor,
          initials: initialsOf(owner.displayName),
        }
      : null,
    ownerKeyId: key.ownerKeyId ?? null,
    ownerKeyName,
    category: key.category,
    environment: key.environment,
    scopes: key.scopes,
    status: keyStateOf(key, now),
    active: key.active,
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(revokedSinceOf(key, now)),
    quotas: {
      total: key.quotaTotal ?? null,
      daily: key.quotaDaily ?? null,
      weekly: key.quotaWeekly ?? null,
      monthly: key.quotaMonthly ?? null,
    },
    rateLimit: { perSecond: key.rateLimitPerSecond ?? null, perMinute: key.rateLimitPerMinute ?? null },
    ipAllowlist: key.ipAllowlist,
    autoRenew: key.autoRenew,
    graceEndsAt: iso(key.graceEndsAt),
    rolledToId: key.rolledToId ?? null,
    rolledFromId: key.rolledFromId ?? null,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
    lastUsedAt: iso(key.lastUsedAt),
    lastUsedIp: key.lastUsedIp ?? null,
    used,
    usage,
    policy: keyPolicyStatusDto(policy, key, now),
  };
}

/**
 * Credits each key used per rolling window, summed in the database from its persisted
 * buckets with the domain's rule (a bucket counts while `start + bucketMs > now - duration`),
 * so the list shows what verification enforces. Callers flush pending usage first. Runs in the
 * EntityManager's transaction when it has one (on PGlite, a query outside it would wait for it).
 */
export async function windowUsage(em: Em, keyIds: string[], now: Date): Promise<Map<string, TWindowUsage>> {
  const result = new Map<string, TWindowUsage>();
  if (keyIds.length === 0) return result;
  const since = (window: 'daily' | 'weekly' | 'monthly') => {
    const spec = QUOTA_WINDOWS[window];
    return new Date(now.getTime() - spec.durationMs - spec.bucketMs);
  };
  const rows: {
    key_id: string;
    total: string | null;
    daily: string | null;
    weekly: string | null;
    monthly: string | null;
  }[] = await em.execute(
    `select key_id,
              sum(credits) filter (where granularity = 'total') as total,
              sum(credits) filter (where granularity = 'minute' and bucket_start > ?) as daily,
              sum(credits) filter (where granularity = 'hour' and bucket_start > ?) as weekly,
              sum(credits) filter (where granularity = 'hour' and bucket_start > ?) as monthly
         from usage_buckets
        where key_id = any(?::text[]) and (granularity = 'total' or bucket_start > ?)
        group by key_id`,
    [since('daily'), since('weekly'), since('monthly'), pgTextArray(keyIds), since('monthly')],
  );
  for (const row of rows) {
    result.set(row.key_id, {
      total: Number(row.total ?? 0),
      daily: Number(row.daily ?? 0),
      weekly: Number(row.weekly ?? 0),
      monthly: Number(row.monthly ?? 0),
    });
  }
  return result;
}

/** Key ids among `ids` that have at least one request log row (inside the caller's transaction, if any). */
export async function usedKeyIds(em: Em, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows: { key_id: string }[] = await em.execute(
    `select k.id as key_id from unnest(?::text[]) as k(id)
        where exists (select 1 from request_logs r where r.key_id = k.id)`,
    [pgTextArray(ids)],
  );
  return new Set(rows.map((r) => r.key_id));
}

/**
 * The names of the keys that created `keys` (keys made through `/v1` by another key), read in
 * one query within the tenant, so the admin says "Deploy bot" rather than "API key".
 */
export async function ownerKeyNames(
  em: Em,
  organizationId: string,
  keys: readonly ApiKey[],
): Promise<Map<string, string>> {
  const ids = [...new Set(keys.map((k) => k.ownerKeyId).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const owners = await em.find(
    ApiKey,
    { id: { $in: ids }, organization: organizationId },
    { fields: ['id', 'name'] },
  );
  return new Map(owners.map((k) => [k.id, k.name]));
}

export function ownerKeyNameOf(names: Map<string, string>, key: ApiKey): string | null {
  return key.ownerKeyId ? (names.get(key.ownerKeyId) ?? null) : null;
}

/** The DTO of a key just issued (create, roll): never used, nothing counted yet. */
export async function issuedKeyDto(
  em: Em,
  organizationId: string,
  key: ApiKey,
  now: Date,
  policy: KeyPolicy,
): Promise<TApiKeyDto> {
  const owners = await ownerKeyNames(em, organizationId, [key]);
  return toKeyDto(key, false, now, NO_USAGE, policy, ownerKeyNameOf(owners, key));
}
