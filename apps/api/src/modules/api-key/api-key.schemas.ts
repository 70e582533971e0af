import {
  BUILTIN_CATEGORIES,
  CATEGORY_REGEX,
  isValidIpOrCidr,
  isValidScope,
  KEY_DESCRIPTION_MAX_LENGTH,
  KEY_NAME_MAX_LENGTH,
  KEY_STATES,
} from '@keysmith/domain';
import { z } from 'zod';
import { safeText } from '../../http/text-rules.js';
import { ZKeyPolicyStatusSchema } from '../key-policy/key-policy.schemas.js';
import { KEY_ENVIRONMENTS } from './api-key.entity.js';

const positiveInt = z
  .number()
  .int('Must be a whole number')
  .positive('Must be greater than 0')
  .max(2_000_000_000);

export const ZQuotasSchema = z.object({
  total: positiveInt.nullable().optional(),
  daily: positiveInt.nullable().optional(),
  weekly: positiveInt.nullable().optional(),
  monthly: positiveInt.nullable().optional(),
});

export const ZRateLimitSchema = z
  .object({
    perSecond: positiveInt.nullable().optional(),
    perMinute: positiveInt.nullable().optional(),
  })
  .nullable();

export const ZKeyNameSchema = safeText(
  z
    .string()
    .trim()
    .min(1, 'Enter a name')
    .max(KEY_NAME_MAX_LENGTH, `Name must be at most ${KEY_NAME_MAX_LENGTH} characters`),
);
/** Line breaks are fine in a description; other control characters are not. */
export const ZKeyDescriptionSchema = safeText(z.string().max(KEY_DESCRIPTION_MAX_LENGTH), {
  multiline: true,
});
export const ZCategorySchema = z
  .string()
  .trim()
  .regex(CATEGORY_REGEX, 'Use 1–32 lowercase letters, digits or dashes');
export const ZScopesSchema = z
  .array(z.string().trim().refine(isValidScope, { message: 'Scopes look like resource:action' }))
  .max(100, 'At most 100 scopes');
export const ZIpAllowlistSchema = z
  .array(z.string().trim().refine(isValidIpOrCidr, { message: 'Enter an IP address or CIDR range' }))
  .max(100, 'At most 100 entries');
/** Any future instant, as an ISO 8601 string. */
export const ZExpiresAtSchema = z.iso.datetime({ offset: true, message: 'Enter a date and time' }).nullable();

export const ZCreateKeySchema = z.object({
  spaceId: z.string().min(1, 'Choose a space'),
  name: ZKeyNameSchema,
  description: ZKeyDescriptionSchema.optional(),
  category: ZCategorySchema.default(BUILTIN_CATEGORIES[0]),
  environment: z.enum(KEY_ENVIRONMENTS).default('live'),
  scopes: ZScopesSchema.default([]),
  expiresAt: ZExpiresAtSchema.optional(),
  quotas: ZQuotasSchema.optional(),
  rateLimit: ZRateLimitSchema.optional(),
  ipAllowlist: ZIpAllowlistSchema.optional(),
  autoRenew: z.boolean().optional(),
});
export type TCreateKey = z.infer<typeof ZCreateKeySchema>;

export const ZUpdateKeySchema = z.object({
  name: ZKeyNameSchema.optional(),
  description: ZKeyDescriptionSchema.optional(),
  category: ZCategorySchema.optional(),
  scopes: ZScopesSchema.optional(),
  expiresAt: ZExpiresAtSchema.optional(),
  quotas: ZQuotasSchema.optional(),
  rateLimit: ZRateLimitSchema.optional(),
  ipAllowlist: ZIpAllowlistSchema.optional(),
  autoRenew: z.boolean().optional(),
});
export type TUpdateKey = z.infer<typeof ZUpdateKeySchema>;

/** Names a key of the caller's organization: the input of every procedure on one key. */
export const ZKeyRefSchema = z.object({ keyId: z.string().min(1).max(64) });
export const ZUpdateKeyInputSchema = ZKeyRefSchema.extend({ patch: ZUpdateKeySchema });

export const KEY_SORTS = ['created', 'lastUsed'] as const;
export const PER_PAGE_CHOICES = [10, 25, 50, 100] as const;

export const ZListKeysSchema = z.object({
  search: safeText(z.string().trim().max(128)).optional(),
  spaceId: z.string().optional(),
  category: z.string().max(32).optional(),
  environment: z.enum(KEY_ENVIRONMENTS).optional(),
  status: z.enum(KEY_STATES).optional(),
  /** Only keys that still work and expire within this many days ("expiring within 30 days"). */
  expiresWithinDays: z.number().int().min(1).max(366).optional(),
  sort: z.enum(KEY_SORTS).default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(1).default(1),
  perPage: z.number().int().min(1).max(100).default(25),
});
export type TListKeys = z.infer<typeof ZListKeysSchema>;

/** The categories in use among the keys the caller may read, for the keys table's filter. */
export const ZKeyCategoriesSchema = z.object({ categories: z.array(z.string()) });
export type TKeyCategories = z.infer<typeof ZKeyCategoriesSchema>;

/** Grace period of a roll: 0 s to 7 days, default 24 h (§2.2). */
export const ZGracePeriodSchema = z
  .number()
  .int()
  .min(0, 'Grace period cannot be negative')
  .max(7 * 86_400, 'Grace period is at most 7 days')
  .default(86_400);
export const ZRollKeyInputSchema = ZKeyRefSchema.extend({ gracePeriodSeconds: ZGracePeriodSchema });

const ZPersonSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  avatarColor: z.string(),
  initials: z.string(),
});

/** A key as the admin sees it. No secret, no hash: only the redacted preview. */
export const ZApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  preview: z.string(),
  space: z.object({
    id: z.string(),
    name: z.string(),
    logoColor: z.string(),
    logoUrl: z.string().nullable(),
    initials: z.string(),
  }),
  owner: ZPersonSchema.nullable(),
  ownerKeyId: z.string().nullable(),
  /** The name of the key that created this one through `/v1` (null when a person did). */
  ownerKeyName: z.string().nullable(),
  category: z.string(),
  environment: z.enum(KEY_ENVIRONMENTS),
  scopes: z.array(z.string()),
  status: z.enum(KEY_STATES),
  active: z.boolean(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  quotas: z.object({
    total: z.number().nullable(),
    daily: z.number().nullable(),
    weekly: z.number().nullable(),
    monthly: z.number().nullable(),
  }),
  rateLimit: z.object({ perSecond: z.number().nullable(), perMinute: z.number().nullable() }),
  ipAllowlist: z.array(z.string()),
  autoRenew: z.boolean(),
  graceEndsAt: z.string().nullable(),
  rolledToId: z.string().nullable(),
  rolledFromId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  /** Whether any request was ever logged for the key (then it can no longer be deleted). */
  used: z.boolean(),
  /**
   * Credits used in each rolling window now, by the domain's bucket rule (what the API
   * enforces), whether or not a quota is configured for that window.
   */
  usage: z.object({ total: z.number(), daily: z.number(), weekly: z.number(), monthly: z.number() }),
  /** How the key stands against the key policy of its space (§10): out of policy, due for rotation. */
  policy: ZKeyPolicyStatusSchema,
});
export type TApiKeyDto = z.infer<typeof ZApiKeySchema>;

/** The only shape that carries a full key: returned by create and roll, exactly once. */
export const ZCreatedKeySchema = z.object({ key: z.string(), record: ZApiKeySchema });
export type TCreatedKey = z.infer<typeof ZCreatedKeySchema>;

export const ZKeyPageSchema = z.object({
  data: z.array(ZApiKeySchema),
  page: z.number(),
  perPage: z.number(),
  total: z.number(),
});
