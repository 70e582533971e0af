import { createHash } from 'node:crypto';
import {
  type ApiKeyEnvironment,
  generateApiKey,
  initialsOf,
  type KeyPolicy,
  keyChangeViolations,
  keyPolicyViolations,
  NO_KEY_POLICY,
  normalizeScopeCatalog,
  PLAN_LIMITS,
  type Plan,
  type PolicyKeyShape,
  QUOTA_WINDOWS,
  scopesNotGrantable,
  scopesOutsideCatalog,
} from '@keysmith/domain';
import { type FilterQuery, LockMode, QueryOrder } from '@mikro-orm/core';
import type { TSpaceAction } from '../../auth/policy.js';
import {
  auditActorOf,
  type Principal,
  principalCan,
  principalUserId,
  readableSpaces,
} from '../../auth/principal.js';
import type { Em } from '../../db/orm.js';
import { pgTextArray } from '../../db/sql.js';
import { AppError, isUniqueViolation } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { emitEvent } from '../event/event.service.js';
import { keyEventPayload, keySubjectOf } from '../event/key-event-payload.js';
import {
  assertKeyPolicy,
  effectivePolicy,
  effectivePolicyFor,
  keyPolicyStatusDto,
  loadPolicyBook,
} from '../key-policy/key-policy.service.js';
import { Organization } from '../organization/organization.entity.js';
import { Space } from '../space/space.entity.js';
import { ApiKey } from './api-key.entity.js';
import type {
  TApiKeyDto,
  TCreatedKey,
  TCreateKey,
  TKeyCategories,
  TKeyStatus,
  TListKeys,
  TUpdateKey,
} from './api-key.schemas.js';
import type { KeyChangePublisher } from './key-changes.js';

/** What every key operation needs: the tenant, who acts, the clock, and where to announce changes. */
export interface KeyServiceContext {
  em: Em;
  organizationId: string;
  principal: Principal;
  changes: KeyChangePublisher;
  now?: Date;
}

export const KEYS_NOT_IN_PLAN =
  'API keys are not included in the Free plan. Upgrade to Pro, Team or Enterprise to issue keys.';
const NAME_TAKEN = 'A key with this name already exists in this organization';

/** SHA-256 (hex) of a key's secret part: the only form in which a secret is stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function keyStatus(
  key: Pick<ApiKey, 'revokedAt' | 'graceEndsAt' | 'expiresAt' | 'active'>,
  now: Date,
): TKeyStatus {
  if (key.revokedAt || (key.graceEndsAt && key.graceEndsAt <= now)) return 'revoked';
  if (key.expiresAt && key.expiresAt <= now) return 'expired';
  return key.active ? 'active' : 'inactive';
}

/** The largest lifetime the int column holds (~68 years); auto-renew of longer lifetimes is moot. */
const MAX_LIFETIME_SECONDS = 2_147_483_647;

/** A key's lifetime from `now` to `expiresAt`, the period auto-renew extends by (§2.2). */
function lifetimeOf(expiresAt: Date | null, now: Date): number | null {
  if (!expiresAt) return null;
  return Math.min(MAX_LIFETIME_SECONDS, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
}

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** The admin's view of a key; `used` says whether any request was ever seen for it. */
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
    status: keyStatus(key, now),
    active: key.active,
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt ?? (key.graceEndsAt && key.graceEndsAt <= now ? key.graceEndsAt : null)),
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

/** What the §10 create/edit/roll rules look at. */
function policyShapeOf(key: Pick<ApiKey, 'environment' | 'expiresAt' | 'ipAllowlist'>): PolicyKeyShape {
  return {
    environment: key.environment,
    expiresAt: key.expiresAt ? key.expiresAt.getTime() : null,
    ipAllowlist: key.ipAllowlist,
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
async function usedKeyIds(em: Em, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows: { key_id: string }[] = await em.execute(
    `select k.id as key_id from unnest(?::text[]) as k(id)
        where exists (select 1 from request_logs r where r.key_id = k.id)`,
    [pgTextArray(ids)],
  );
  return new Set(rows.map((r) => r.key_id));
}

async function loadOrganization(em: Em, organizationId: string): Promise<Organization> {
  return em.findOneOrFail(
    Organization,
    { id: organizationId },
    { failHandler: () => AppError.notFound('Organization') },
  );
}

function assertPlanIncludesKeys(org: Organization): void {
  if (!PLAN_LIMITS[org.plan as Plan].apiKeys) throw new AppError('PRECONDITION_FAILED', KEYS_NOT_IN_PLAN);
}

/** Loads a key of the tenant that the principal may see; anything else does not exist for them. */
async function loadVisibleKey(ctx: KeyServiceContext, keyId: string): Promise<ApiKey> {
  const key = await ctx.em.findOne(
    ApiKey,
    { id: keyId, organization: ctx.organizationId },
    { populate: ['space', 'ownerUser'] },
  );
  if (!key || !principalCan(ctx.principal, 'key.read', key.space.id)) throw AppError.notFound('API key');
  return key;
}

/** Managing a key: space admins (and org owners/admins) any key, developers only their own. */
function assertCanManage(ctx: KeyServiceContext, key: ApiKey): void {
  const spaceId = key.space.id;
  if (principalCan(ctx.principal, 'key.manageAny', spaceId)) return;
  const own = key.ownerUser?.id !== undefined && key.ownerUser.id === principalUserId(ctx.principal);
  if (own && principalCan(ctx.principal, 'key.manageOwn', spaceId)) return;
  throw new AppError('FORBIDDEN', 'You can only manage keys you created in this space');
}

function assertSpaceAction(ctx: KeyServiceContext, action: TSpaceAction, space: Space): void {
  if (!principalCan(ctx.principal, 'key.read', space.id)) throw AppError.notFound('Space');
  if (!principalCan(ctx.principal, action, space.id)) {
    throw new AppError('FORBIDDEN', 'You do not have permission to create keys in this space');
  }
}

/**
 * Scopes never escalate (§4): a key gives the keys it creates, updates or rolls only scopes it
 * holds itself (`admin:*` may give any), and no key changes its own scopes. Admins are bound by
 * the space catalog and their role instead; `target` is the key being changed, if any.
 */
function assertNoScopeEscalation(
  ctx: KeyServiceContext,
  scopes: readonly string[] | undefined,
  target?: ApiKey,
): void {
  const principal = ctx.principal;
  if (principal.kind !== 'key' || scopes === undefined) return;
  if (target && target.id === principal.keyId) {
    const next = [...new Set(scopes)].sort();
    const same = next.length === target.scopes.length && next.every((scope, i) => scope === target.scopes[i]);
    if (!same) throw AppError.field('FORBIDDEN', 'scopes', 'A key cannot change its own scopes');
    return;
  }
  const missing = scopesNotGrantable(principal.scopes, scopes);
  if (missing.length > 0) {
    throw AppError.field(
      'FORBIDDEN',
      'scopes',
      `A key can only grant scopes it holds itself; this key does not hold ${missing.join(', ')}`,
    );
  }
}

function validateAgainstPlanAndSpace(
  org: Organization,
  space: Space,
  input: Pick<TUpdateKey, 'scopes' | 'rateLimit' | 'autoRenew' | 'expiresAt'>,
  now: Date,
): void {
  if (input.scopes) {
    const outside = scopesOutsideCatalog(input.scopes, normalizeScopeCatalog(space.scopeCatalog));
    if (outside.length > 0) {
      throw AppError.field(
        'BAD_REQUEST',
        'scopes',
        `Not in the space's scope catalog: ${outside.join(', ')}`,
      );
    }
  }
  const limits = PLAN_LIMITS[org.plan as Plan];
  const perSecond = input.rateLimit?.perSecond;
  if (perSecond != null && perSecond > limits.perSecond) {
    throw AppError.field(
      'BAD_REQUEST',
      'rateLimit.perSecond',
      `At most ${limits.perSecond} on the ${org.plan} plan`,
    );
  }
  const perMinute = input.rateLimit?.perMinute;
  if (perMinute != null && perMinute > limits.perMinute) {
    throw AppError.field(
      'BAD_REQUEST',
      'rateLimit.perMinute',
      `At most ${limits.perMinute} on the ${org.plan} plan`,
    );
  }
  if (input.autoRenew && !limits.autoRenew) {
    throw AppError.field('BAD_REQUEST', 'autoRenew', 'Auto-renew is available on the Enterprise plan');
  }
  if (input.expiresAt && new Date(input.expiresAt) <= now) {
    throw AppError.field('BAD_REQUEST', 'expiresAt', 'Expiry must be in the future');
  }
}

async function flushOrConflict(em: Em): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (isUniqueViolation(error)) throw AppError.field('CONFLICT', 'name', NAME_TAKEN);
    throw error;
  }
}

/** Fields of a key recorded in audit before/after: everything but secrets. */
function auditView(key: ApiKey): Record<string, unknown> {
  return {
    name: key.name,
    description: key.description,
    category: key.category,
    scopes: key.scopes,
    expiresAt: iso(key.expiresAt),
    active: key.active,
    revokedAt: iso(key.revokedAt),
    quotas: {
      total: key.quotaTotal,
      daily: key.quotaDaily,
      weekly: key.quotaWeekly,
      monthly: key.quotaMonthly,
    },
    rateLimit: { perSecond: key.rateLimitPerSecond, perMinute: key.rateLimitPerMinute },
    ipAllowlist: key.ipAllowlist,
    autoRenew: key.autoRenew,
    graceEndsAt: iso(key.graceEndsAt),
  };
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const field of Object.keys(after)) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      b[field] = before[field];
      a[field] = after[field];
    }
  }
  return { before: b, after: a };
}

/** Issues a new key. The full key is in the result and nowhere else: not stored, not logged. */
export async function createKey(ctx: KeyServiceContext, input: TCreateKey): Promise<TCreatedKey> {
  const now = ctx.now ?? new Date();
  const org = await loadOrganization(ctx.em, ctx.organizationId);
  assertPlanIncludesKeys(org);
  const space = await ctx.em.findOne(Space, { id: input.spaceId, organization: ctx.organizationId });
  if (!space) throw AppError.field('NOT_FOUND', 'spaceId', 'Space not found');
  assertSpaceAction(ctx, 'key.create', space);
  if (space.archivedAt) throw AppError.field('BAD_REQUEST', 'spaceId', 'This space is archived');
  assertNoScopeEscalation(ctx, input.scopes);
  validateAgainstPlanAndSpace(org, space, input, now);
  if (input.autoRenew && !input.expiresAt) {
    throw AppError.field('BAD_REQUEST', 'autoRenew', 'Auto-renew needs an expiry date');
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  const policy = await effectivePolicyFor(ctx.em, org.id, space.id);
  assertKeyPolicy(
    keyPolicyViolations(
      policy,
      {
        environment: input.environment,
        expiresAt: expiresAt?.getTime() ?? null,
        ipAllowlist: input.ipAllowlist ?? [],
      },
      now.getTime(),
    ),
  );
  const generated = generateApiKey({
    prefix: org.keyPrefix,
    environment: input.environment as ApiKeyEnvironment,
  });
  const principal = ctx.principal;
  const key = ctx.em.create(ApiKey, {
    id: generated.keyId,
    organization: org,
    space,
    ownerUser: principalUserId(principal),
    ownerKeyId: principal.kind === 'key' ? principal.keyId : null,
    name: input.name,
    nameNormalized: input.name.toLowerCase(),
    description: input.description ?? '',
    category: input.category,
    environment: input.environment,
    scopes: [...new Set(input.scopes)].sort(),
    secretHash: hashSecret(generated.secret),
    preview: generated.preview,
    expiresAt,
    lifetimeSeconds: lifetimeOf(expiresAt, now),
    quotaTotal: input.quotas?.total ?? null,
    quotaDaily: input.quotas?.daily ?? null,
    quotaWeekly: input.quotas?.weekly ?? null,
    quotaMonthly: input.quotas?.monthly ?? null,
    rateLimitPerSecond: input.rateLimit?.perSecond ?? null,
    rateLimitPerMinute: input.rateLimit?.perMinute ?? null,
    ipAllowlist: input.ipAllowlist ?? [],
    autoRenew: input.autoRenew ?? false,
    createdAt: now,
    updatedAt: now,
  });
  recordAudit(ctx.em, auditActorOf(principal), {
    organizationId: org.id,
    action: 'key.create',
    target: { type: 'api_key', id: key.id, label: key.name },
    after: auditView(key),
  });
  await flushOrConflict(ctx.em);
  await ctx.em.populate(key, ['space', 'ownerUser']);
  const owners = await ownerKeyNames(ctx.em, org.id, [key]);
  return {
    key: generated.key,
    record: toKeyDto(key, false, now, NO_USAGE, policy, ownerKeyNameOf(owners, key)),
  };
}

/** One page of the tenant's keys the principal may see, newest first unless asked otherwise. */
export async function listKeys(
  ctx: KeyServiceContext,
  input: TListKeys,
): Promise<{ data: TApiKeyDto[]; page: number; perPage: number; total: number }> {
  const now = ctx.now ?? new Date();
  const conditions: FilterQuery<ApiKey>[] = [{ organization: ctx.organizationId }];
  const spaces = readableSpaces(ctx.principal);
  if (spaces !== 'all') conditions.push({ space: { $in: spaces } });
  if (input.spaceId) conditions.push({ space: input.spaceId });
  if (input.category) conditions.push({ category: input.category });
  if (input.environment) conditions.push({ environment: input.environment });
  if (input.search) {
    const escaped = input.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    conditions.push({ nameNormalized: { $like: `%${escaped}%` } });
  }
  const notRevoked: FilterQuery<ApiKey> = {
    revokedAt: null,
    $or: [{ graceEndsAt: null }, { graceEndsAt: { $gt: now } }],
  };
  const notExpired: FilterQuery<ApiKey> = { $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] };
  switch (input.status) {
    case 'revoked':
      conditions.push({ $or: [{ revokedAt: { $ne: null } }, { graceEndsAt: { $lte: now } }] });
      break;
    case 'expired':
      conditions.push(notRevoked, { expiresAt: { $lte: now } });
      break;
    case 'inactive':
      conditions.push(notRevoked, notExpired, { active: false });
      break;
    case 'active':
      conditions.push(notRevoked, notExpired, { active: true });
      break;
    case undefined:
      break;
  }
  if (input.expiresWithinDays !== undefined) {
    const until = new Date(now.getTime() + input.expiresWithinDays * 86_400_000);
    conditions.push(notRevoked, { expiresAt: { $gt: now, $lte: until } });
  }
  const asc = input.order === 'asc';
  const direction = asc ? QueryOrder.ASC : QueryOrder.DESC;
  // Never-used keys sort after used ones when newest-first, before them when oldest-first.
  const orderBy =
    input.sort === 'lastUsed'
      ? { lastUsedAt: asc ? QueryOrder.ASC_NULLS_FIRST : QueryOrder.DESC_NULLS_LAST, id: direction }
      : { createdAt: direction, id: direction };
  const [rows, total] = await ctx.em.findAndCount(
    ApiKey,
    { $and: conditions },
    {
      orderBy,
      limit: input.perPage,
      offset: (input.page - 1) * input.perPage,
      populate: ['space', 'ownerUser'],
    },
  );
  const used = await usedKeyIds(
    ctx.em,
    rows.filter((k) => !k.lastUsedAt).map((k) => k.id),
  );
  const usage = await windowUsage(
    ctx.em,
    rows.map((k) => k.id),
    now,
  );
  const policies = await loadPolicyBook(ctx.em, ctx.organizationId);
  const owners = await ownerKeyNames(ctx.em, ctx.organizationId, rows);
  return {
    data: rows.map((k) =>
      toKeyDto(
        k,
        k.lastUsedAt != null || used.has(k.id),
        now,
        usage.get(k.id),
        effectivePolicy(policies, k.space.id),
        ownerKeyNameOf(owners, k),
      ),
    ),
    page: input.page,
    perPage: input.perPage,
    total,
  };
}

/**
 * The names of the keys that created `keys` (keys made through `/v1` by another key), read in
 * one query within the tenant, so the admin says "Deploy bot" rather than "API key".
 */
async function ownerKeyNames(
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

function ownerKeyNameOf(names: Map<string, string>, key: ApiKey): string | null {
  return key.ownerKeyId ? (names.get(key.ownerKeyId) ?? null) : null;
}

/**
 * The categories used by the keys the principal may read (built-in and custom), sorted, so
 * the keys table can offer every one of them as a filter.
 */
export async function listKeyCategories(ctx: KeyServiceContext): Promise<TKeyCategories> {
  const spaces = readableSpaces(ctx.principal);
  const inSpaces = spaces === 'all' ? '' : ' and space_id = any(?::text[])';
  const rows: { category: string }[] = await ctx.em
    .getConnection()
    .execute(
      `select distinct category from api_keys where organization_id = ?${inSpaces} order by category limit 500`,
      spaces === 'all' ? [ctx.organizationId] : [ctx.organizationId, pgTextArray(spaces)],
    );
  return { categories: rows.map((row) => row.category) };
}

export async function getKey(ctx: KeyServiceContext, keyId: string): Promise<TApiKeyDto> {
  const key = await loadVisibleKey(ctx, keyId);
  const now = ctx.now ?? new Date();
  const used = key.lastUsedAt != null || (await usedKeyIds(ctx.em, [key.id])).has(key.id);
  const usage = await windowUsage(ctx.em, [key.id], now);
  const policy = await effectivePolicyFor(ctx.em, ctx.organizationId, key.space.id);
  const owners = await ownerKeyNames(ctx.em, ctx.organizationId, [key]);
  return toKeyDto(key, used, now, usage.get(key.id), policy, ownerKeyNameOf(owners, key));
}

/** Applies §2.2 edits; every change is audited with before/after and announced to verifiers. */
export async function updateKey(
  ctx: KeyServiceContext,
  keyId: string,
  input: TUpdateKey,
): Promise<TApiKeyDto> {
  const now = ctx.now ?? new Date();
  const key = await loadVisibleKey(ctx, keyId);
  assertCanManage(ctx, key);
  if (keyStatus(key, now) === 'revoked')
    throw new AppError('PRECONDITION_FAILED', 'A revoked key cannot be edited');
  assertNoScopeEscalation(ctx, input.scopes, key);
  const org = await loadOrganization(ctx.em, ctx.organizationId);
  validateAgainstPlanAndSpace(org, key.space, input, now);
  // §10: the fields this edit changes must comply; fields it leaves alone are not re-judged.
  const shapeBefore = policyShapeOf(key);
  const shapeAfter: PolicyKeyShape = {
    ...shapeBefore,
    ...(input.expiresAt !== undefined
      ? { expiresAt: input.expiresAt ? new Date(input.expiresAt).getTime() : null }
      : {}),
    ...(input.ipAllowlist !== undefined ? { ipAllowlist: input.ipAllowlist } : {}),
  };
  assertKeyPolicy(
    keyChangeViolations(
      await effectivePolicyFor(ctx.em, ctx.organizationId, key.space.id),
      shapeBefore,
      shapeAfter,
      now.getTime(),
    ),
  );
  const before = auditView(key);
  if (input.name !== undefined) {
    key.name = input.name;
    key.nameNormalized = input.name.toLowerCase();
  }
  if (input.description !== undefined) key.description = input.description;
  if (input.category !== undefined) key.category = input.category;
  if (input.scopes !== undefined) key.scopes = [...new Set(input.scopes)].sort();
  if (input.expiresAt !== undefined) {
    key.expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    // A new expiry gets its own notices.
    key.expiryWarnedAt = null;
    key.expiredNotifiedAt = null;
    key.lifetimeSeconds = lifetimeOf(key.expiresAt, now);
  }
  if (input.quotas !== undefined) {
    if (input.quotas.total !== undefined) key.quotaTotal = input.quotas.total;
    if (input.quotas.daily !== undefined) key.quotaDaily = input.quotas.daily;
    if (input.quotas.weekly !== undefined) key.quotaWeekly = input.quotas.weekly;
    if (input.quotas.monthly !== undefined) key.quotaMonthly = input.quotas.monthly;
  }
  if (input.rateLimit !== undefined) {
    key.rateLimitPerSecond = input.rateLimit?.perSecond ?? null;
    key.rateLimitPerMinute = input.rateLimit?.perMinute ?? null;
  }
  if (input.ipAllowlist !== undefined) key.ipAllowlist = input.ipAllowlist;
  if (input.autoRenew !== undefined) key.autoRenew = input.autoRenew;
  if (key.autoRenew && !key.expiresAt)
    throw AppError.field('BAD_REQUEST', 'autoRenew', 'Auto-renew needs an expiry date');
  const diff = changedFields(before, auditView(key));
  if (Object.keys(diff.after).length > 0) {
    key.version += 1;
    recordAudit(ctx.em, auditActorOf(ctx.principal), {
      organizationId: ctx.organizationId,
      action: 'key.update',
      target: { type: 'api_key', id: key.id, label: key.name },
      ...diff,
    });
  }
  await flushOrConflict(ctx.em);
  ctx.changes.publish(ctx.organizationId, key.id);
  return getKey(ctx, key.id);
}

async function transition(
  ctx: KeyServiceContext,
  keyId: string,
  action: string,
  apply: (key: ApiKey, now: Date) => void,
  /** Queues what must commit with the change (events), before the flush that writes it. */
  alongside?: (key: ApiKey, now: Date) => Promise<unknown>,
): Promise<TApiKeyDto> {
  const now = ctx.now ?? new Date();
  const key = await loadVisibleKey(ctx, keyId);
  assertCanManage(ctx, key);
  const before = auditView(key);
  apply(key, now);
  key.version += 1;
  recordAudit(ctx.em, auditActorOf(ctx.principal), {
    organizationId: ctx.organizationId,
    action,
    target: { type: 'api_key', id: key.id, label: key.name },
    ...changedFields(before, auditView(key)),
  });
  if (alongside) await alongside(key, now);
  await ctx.em.flush();
  ctx.changes.publish(ctx.organizationId, key.id);
  return getKey(ctx, key.id);
}

/**
 * Extras of a revocation or (de)activation that Keysmith makes on its own account (a leak
 * report, §11) rather than on an admin's click.
 */
export interface KeyTransitionOptions {
  /** `reason` of the `key.revoked` event; `revoked` by default. */
  reason?: string;
  /** Queues records that must commit with the change (the leak's own events), before its flush. */
  alongside?: (key: ApiKey, now: Date) => Promise<unknown>;
}

export function setKeyActive(
  ctx: KeyServiceContext,
  keyId: string,
  active: boolean,
  options: KeyTransitionOptions = {},
): Promise<TApiKeyDto> {
  return transition(
    ctx,
    keyId,
    active ? 'key.reactivate' : 'key.deactivate',
    (key, now) => {
      if (keyStatus(key, now) === 'revoked') {
        throw new AppError('PRECONDITION_FAILED', 'A revoked key cannot be reactivated or deactivated');
      }
      // Reactivating restarts the idle clock (§10), or the idle rule would undo it at once.
      if (active && !key.active) key.reactivatedAt = now;
      key.active = active;
    },
    options.alongside,
  );
}

/** The `key.revoked` event (§7) of a key revoked by `principal`, or by a roll without grace. */
function keyRevokedEvent(
  key: ApiKey,
  principal: Principal,
  now: Date,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const actor = auditActorOf(principal);
  return keyEventPayload(keySubjectOf(key), {
    revoked_at: now.toISOString(),
    revoked_by: { type: actor.type, id: actor.id },
    ...extra,
  });
}

/**
 * Permanent. The record and its history stay; the key answers `Revoked API Key` from now on.
 * The `key.revoked` event is written in the same transaction as the revocation.
 */
export function revokeKey(
  ctx: KeyServiceContext,
  keyId: string,
  options: KeyTransitionOptions = {},
): Promise<TApiKeyDto> {
  return transition(
    ctx,
    keyId,
    'key.revoke',
    (key, now) => {
      if (keyStatus(key, now) === 'revoked')
        throw new AppError('PRECONDITION_FAILED', 'This key is already revoked');
      key.revokedAt = now;
    },
    async (key, now) => {
      await emitEvent(
        ctx.em,
        ctx.organizationId,
        'key.revoked',
        keyRevokedEvent(key, ctx.principal, now, { reason: options.reason ?? 'revoked' }),
        now,
      );
      if (options.alongside) await options.alongside(key, now);
    },
  );
}

/** Deletes a key that was never used; a used key must be deactivated or revoked instead (history is kept). */
export async function deleteKey(ctx: KeyServiceContext, keyId: string): Promise<{ id: string }> {
  const key = await loadVisibleKey(ctx, keyId);
  assertCanManage(ctx, key);
  const used = key.lastUsedAt != null || (await usedKeyIds(ctx.em, [key.id])).has(key.id);
  if (used) {
    throw new AppError(
      'CONFLICT',
      'This key has been used, so it cannot be deleted: its request history is kept. Deactivate or revoke it instead.',
    );
  }
  recordAudit(ctx.em, auditActorOf(ctx.principal), {
    organizationId: ctx.organizationId,
    action: 'key.delete',
    target: { type: 'api_key', id: key.id, label: key.name },
    before: auditView(key),
  });
  ctx.em.remove(key);
  await ctx.em.flush();
  ctx.changes.publish(ctx.organizationId, key.id);
  return { id: keyId };
}

/**
 * Replaces a key: the new one copies space, category, environment, scopes, quotas, rate
 * limit and allowlist; the old one keeps working for `graceSeconds` and then counts as
 * revoked (verification compares `graceEndsAt` with the clock, and the scheduler stamps
 * `revokedAt`, so the cut-over is exact even if no scheduler runs at that instant).
 */
export async function rollKey(
  ctx: KeyServiceContext,
  keyId: string,
  graceSeconds: number,
): Promise<TCreatedKey> {
  const now = ctx.now ?? new Date();
  const old = await loadVisibleKey(ctx, keyId);
  assertCanManage(ctx, old);
  if (keyStatus(old, now) === 'revoked')
    throw new AppError('PRECONDITION_FAILED', 'A revoked key cannot be rolled');
  // The roller receives the replacement's secret: it must hold every scope the replacement gets.
  assertNoScopeEscalation(ctx, old.scopes, old);
  const org = await loadOrganization(ctx.em, ctx.organizationId);
  assertPlanIncludesKeys(org);
  // The replacement is a new key with the old one's expiry and allowlist: it must comply (§10).
  const policy = await effectivePolicyFor(ctx.em, ctx.organizationId, old.space.id);
  assertKeyPolicy(keyPolicyViolations(policy, policyShapeOf(old), now.getTime()));
  const generated = generateApiKey({ prefix: org.keyPrefix, environment: old.environment });
  const replacementId = await ctx.em.transactional(async (tx) => {
    // Row lock: two concurrent rolls of one key cannot both issue a replacement.
    const locked = await tx.findOneOrFail(
      ApiKey,
      { id: old.id, organization: ctx.organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (locked.rolledToId) throw new AppError('PRECONDITION_FAILED', 'This key was already rolled');
    const before = auditView(locked);
    // The old key keeps its name: names are unique among keys not rolled (flushed first, so
    // the replacement can take the name the old key no longer holds in the unique index).
    const name = locked.name;
    locked.graceEndsAt = new Date(now.getTime() + graceSeconds * 1000);
    if (graceSeconds === 0) locked.revokedAt = now;
    locked.version += 1;
    locked.rolledToId = generated.keyId;
    await tx.flush();
    const replacement = tx.create(ApiKey, {
      id: generated.keyId,
      organization: ctx.organizationId,
      space: locked.space,
      ownerUser: principalUserId(ctx.principal) ?? locked.ownerUser ?? null,
      ownerKeyId: ctx.principal.kind === 'key' ? ctx.principal.keyId : null,
      name,
      nameNormalized: name.toLowerCase(),
      description: locked.description,
      category: locked.category,
      environment: locked.environment,
      scopes: locked.scopes,
      secretHash: hashSecret(generated.secret),
      preview: generated.preview,
      expiresAt: locked.expiresAt ?? null,
      // The same expiry was already announced for the old key: no second notice after a roll.
      expiryWarnedAt: locked.expiryWarnedAt ?? null,
      expiredNotifiedAt: locked.expiredNotifiedAt ?? null,
      lifetimeSeconds: locked.lifetimeSeconds ?? null,
      active: true,
      quotaTotal: locked.quotaTotal ?? null,
      quotaDaily: locked.quotaDaily ?? null,
      quotaWeekly: locked.quotaWeekly ?? null,
      quotaMonthly: locked.quotaMonthly ?? null,
      rateLimitPerSecond: locked.rateLimitPerSecond ?? null,
      rateLimitPerMinute: locked.rateLimitPerMinute ?? null,
      ipAllowlist: locked.ipAllowlist,
      autoRenew: locked.autoRenew,
      rolledFromId: locked.id,
      createdAt: now,
      updatedAt: now,
    });
    locked.rolledToId = replacement.id;
    recordAudit(tx, auditActorOf(ctx.principal), {
      organizationId: ctx.organizationId,
      action: 'key.roll',
      target: { type: 'api_key', id: locked.id, label: name },
      ...changedFields(before, { ...auditView(locked), rolledToId: replacement.id }),
    });
    if (locked.revokedAt) {
      // No grace: the old key is revoked now, and announced with the roll's transaction.
      await emitEvent(
        tx,
        ctx.organizationId,
        'key.revoked',
        keyRevokedEvent(locked, ctx.principal, now, { reason: 'rolled', replaced_by: replacement.id }),
        now,
      );
    }
    await tx.flush();
    return replacement.id;
  });
  ctx.changes.publish(ctx.organizationId, old.id);
  const em = ctx.em.fork();
  const replacement = await em.findOneOrFail(
    ApiKey,
    { id: replacementId },
    { populate: ['space', 'ownerUser'] },
  );
  const owners = await ownerKeyNames(em, ctx.organizationId, [replacement]);
  return {
    key: generated.key,
    record: toKeyDto(replacement, false, now, NO_USAGE, policy, ownerKeyNameOf(owners, replacement)),
  };
}
