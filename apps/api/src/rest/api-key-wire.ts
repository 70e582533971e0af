import { KEY_STATES } from '@keysmith/domain';
import { z } from 'zod';
import { KEY_ENVIRONMENTS } from '../modules/api-key/api-key.entity.js';
import {
  type TApiKeyDto,
  type TCreateKey,
  type TListKeys,
  type TUpdateKey,
  ZCreateKeySchema,
  ZGracePeriodSchema,
  ZListKeysSchema,
  ZQuotasSchema,
  ZRateLimitSchema,
  ZUpdateKeySchema,
} from '../modules/api-key/api-key.schemas.js';
import { ZQuotaWindowStatusSchema } from './rest-schemas.js';

/**
 * The `/v1/api-keys` wire format (§5): snake_case views of the key service's own schemas.
 * Every field validator is the service's (name, category, scopes, allowlist, quotas, grace
 * period), renamed here and nowhere else; the mappers below are explicit so that user data
 * (scopes, names) is never touched by a case conversion.
 */

const quotaLimits = ZQuotasSchema.shape;
const rateLimitFields = ZRateLimitSchema.unwrap().shape;

/** `{total, daily, weekly, monthly}`: each a positive integer, or null to remove that window. */
export const ZQuotasInputSchema = z
  .strictObject({
    total: quotaLimits.total,
    daily: quotaLimits.daily,
    weekly: quotaLimits.weekly,
    monthly: quotaLimits.monthly,
  })
  .describe('Credits per rolling window (total: all time, daily: 24 h, weekly: 7 days, monthly: 30 days)');

/** A per-key override, at most the plan's caps; null removes it. */
export const ZRateLimitInputSchema = z
  .strictObject({
    per_second: rateLimitFields.perSecond,
    per_minute: rateLimitFields.perMinute,
  })
  .nullable()
  .describe("Stricter per-second / per-minute caps for this key (at most the plan's); null removes them");

const create = ZCreateKeySchema.shape;
const update = ZUpdateKeySchema.shape;

export const ZCreateApiKeyBodySchema = z.strictObject({
  name: create.name.describe('1–128 characters, unique in the organization (case-insensitive)'),
  description: create.description,
  space_id: z
    .string()
    .min(1)
    .optional()
    .describe("The space of the new key; default the caller's space. Only `admin:*` keys may name another"),
  category: create.category.describe('`production`, `development`, `staging` or a custom `[a-z0-9-]{1,32}`'),
  environment: create.environment,
  scopes: create.scopes.describe("A subset of the space's scope catalog"),
  expires_at: create.expiresAt.describe('Any future instant (ISO 8601), or null for no expiry'),
  quotas: ZQuotasInputSchema.optional(),
  rate_limit: ZRateLimitInputSchema.optional(),
  ip_allowlist: create.ipAllowlist.describe('IPs or CIDR ranges allowed to use the key; empty: any'),
  auto_renew: create.autoRenew.describe('Enterprise plan: extend the expiry by the original lifetime'),
});
export type TCreateApiKeyBody = z.output<typeof ZCreateApiKeyBodySchema>;

export const ZUpdateApiKeyBodySchema = z.strictObject({
  name: update.name,
  description: update.description,
  category: update.category,
  scopes: update.scopes.describe('Replaces the scopes'),
  expires_at: update.expiresAt.describe('Extend or shorten the expiry; null removes it'),
  quotas: ZQuotasInputSchema.optional().describe('Windows named here change; null removes a window'),
  rate_limit: ZRateLimitInputSchema.optional(),
  ip_allowlist: update.ipAllowlist.describe('Replaces the allowlist'),
  auto_renew: update.autoRenew,
  active: z.boolean().optional().describe('false deactivates the key (reversible), true reactivates it'),
});
export type TUpdateApiKeyBody = z.output<typeof ZUpdateApiKeyBodySchema>;

export const ZRollApiKeyBodySchema = z.strictObject({
  grace_period_seconds: ZGracePeriodSchema.describe(
    'How long the old key keeps working: 0 s to 7 days, default 24 h',
  ),
});

const list = ZListKeysSchema.shape;

export const ZListApiKeysQuerySchema = z.object({
  search: list.search.describe('Part of the name, case-insensitive'),
  category: list.category,
  environment: list.environment,
  status: list.status,
  page: z.coerce.number().int().min(1).default(1).describe('1-based page number'),
  per_page: z.coerce.number().int().min(1).max(100).default(25).describe('1–100, default 25'),
});
export type TListApiKeysQuery = z.output<typeof ZListApiKeysQuerySchema>;

export const ZKeyLogsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('1–100, default 50'),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
});

export const ZKeyIdParamsSchema = z.object({
  id: z.string().min(1).max(64).describe('The key id, `key_` + 16 characters'),
});

const isoOrNull = z.string().nullable();

/** A key as `/v1` shows it: the redacted `prefix`, never the secret or its hash. */
export const ZApiKeyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  prefix: z.string().describe('Redacted preview, e.g. `sk_live_7Hq2...0Rr`'),
  space_id: z.string(),
  owner: z
    .object({ type: z.enum(['user', 'key']), id: z.string() })
    .nullable()
    .describe('Who created the key; null when created by Keysmith itself (CLI)'),
  category: z.string(),
  environment: z.enum(KEY_ENVIRONMENTS),
  scopes: z.array(z.string()),
  status: z.enum(KEY_STATES),
  active: z.boolean(),
  expires_at: isoOrNull,
  revoked_at: isoOrNull,
  quotas: z.object({
    total: z.number().nullable(),
    daily: z.number().nullable(),
    weekly: z.number().nullable(),
    monthly: z.number().nullable(),
  }),
  rate_limit: z.object({ per_second: z.number().nullable(), per_minute: z.number().nullable() }).nullable(),
  ip_allowlist: z.array(z.string()),
  auto_renew: z.boolean(),
  grace_ends_at: isoOrNull.describe('Set on a rolled key: it stops working at this instant'),
  rolled_to_id: z.string().nullable().describe('The replacement, once rolled'),
  rolled_from_id: z.string().nullable().describe('The key this one replaced'),
  created_at: z.string(),
  updated_at: z.string(),
  last_used_at: isoOrNull,
  last_used_ip: isoOrNull,
});
export type TApiKeyRecord = z.output<typeof ZApiKeyRecordSchema>;

/** The only answer that carries a full key: create and roll, exactly once. */
export const ZCreatedApiKeySchema = z.object({
  key: z.string().describe('The full key. Shown only in this answer: store it now'),
  ...ZApiKeyRecordSchema.shape,
});

export const ZApiKeyPageSchema = z.object({
  data: z.array(ZApiKeyRecordSchema),
  page: z.number(),
  per_page: z.number(),
  total: z.number(),
});

export const ZApiKeyUsageSchema = z.object({
  requests_today: z.number().describe('Admitted requests in the last 24 hours'),
  requests_this_month: z.number().describe('Admitted requests in the last 30 days'),
  quotas: z
    .partialRecord(z.enum(['total', 'daily', 'weekly', 'monthly']), ZQuotaWindowStatusSchema)
    .describe('Each configured window: limit, used, remaining and when credits next free up'),
});

export const ZApiKeyDetailSchema = z.object({ ...ZApiKeyRecordSchema.shape, usage: ZApiKeyUsageSchema });

export const ZRequestLogSchema = z.object({
  id: z.string(),
  time: z.string(),
  method: z.string(),
  endpoint: z.string(),
  status: z.number(),
  duration_ms: z.number(),
  ip: z.string().nullable(),
  credits: z.number(),
  code: z.string().describe('VALID, or the code the request was refused with (see the key checks table)'),
});

export const ZRequestLogPageSchema = z.object({
  data: z.array(ZRequestLogSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null at the end'),
});

function quotasInput(quotas: z.output<typeof ZQuotasInputSchema> | undefined): TCreateKey['quotas'] {
  if (!quotas) return undefined;
  return { total: quotas.total, daily: quotas.daily, weekly: quotas.weekly, monthly: quotas.monthly };
}

function rateLimitInput(rate: z.output<typeof ZRateLimitInputSchema> | undefined): TCreateKey['rateLimit'] {
  if (rate === undefined) return undefined;
  if (rate === null) return null;
  return { perSecond: rate.per_second, perMinute: rate.per_minute };
}

export function toCreateKeyInput(body: TCreateApiKeyBody, spaceId: string): TCreateKey {
  return {
    spaceId,
    name: body.name,
    description: body.description,
    category: body.category,
    environment: body.environment,
    scopes: body.scopes,
    expiresAt: body.expires_at,
    quotas: quotasInput(body.quotas),
    rateLimit: rateLimitInput(body.rate_limit),
    ipAllowlist: body.ip_allowlist,
    autoRenew: body.auto_renew,
  };
}

/** The §2.2 edits of a PATCH body (`active` is a separate transition). */
export function toUpdateKeyInput(body: Omit<TUpdateApiKeyBody, 'active'>): TUpdateKey {
  return {
    name: body.name,
    description: body.description,
    category: body.category,
    scopes: body.scopes,
    expiresAt: body.expires_at,
    quotas: quotasInput(body.quotas),
    rateLimit: rateLimitInput(body.rate_limit),
    ipAllowlist: body.ip_allowlist,
    autoRenew: body.auto_renew,
  };
}

export function toListKeysInput(query: TListApiKeysQuery): TListKeys {
  return {
    search: query.search,
    category: query.category,
    environment: query.environment,
    status: query.status,
    sort: 'created',
    order: 'desc',
    page: query.page,
    perPage: query.per_page,
  };
}

export function toApiKeyRecord(dto: TApiKeyDto): TApiKeyRecord {
  const owner = dto.ownerKeyId
    ? { type: 'key' as const, id: dto.ownerKeyId }
    : dto.owner
      ? { type: 'user' as const, id: dto.owner.id }
      : null;
  const { perSecond, perMinute } = dto.rateLimit;
  return {
    id: dto.id,
    name: dto.name,
    description: dto.description,
    prefix: dto.preview,
    space_id: dto.space.id,
    owner,
    category: dto.category,
    environment: dto.environment,
    scopes: dto.scopes,
    status: dto.status,
    active: dto.active,
    expires_at: dto.expiresAt,
    revoked_at: dto.revokedAt,
    quotas: { ...dto.quotas },
    rate_limit:
      perSecond === null && perMinute === null ? null : { per_second: perSecond, per_minute: perMinute },
    ip_allowlist: dto.ipAllowlist,
    auto_renew: dto.autoRenew,
    grace_ends_at: dto.graceEndsAt,
    rolled_to_id: dto.rolledToId,
    rolled_from_id: dto.rolledFromId,
    created_at: dto.createdAt,
    updated_at: dto.updatedAt,
    last_used_at: dto.lastUsedAt,
    last_used_ip: dto.lastUsedIp,
  };
}
