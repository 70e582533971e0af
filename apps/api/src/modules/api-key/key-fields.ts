import type { GeneratedApiKey, PolicyKeyShape } from '@keysmith/domain';
import type { Em } from '../../db/orm.js';
import { sha256Hex } from '../../digest.js';
import { AppError, isUniqueViolation } from '../../errors.js';
import type { Organization } from '../organization/organization.entity.js';
import type { Space } from '../space/space.entity.js';
import type { User } from '../user/user.entity.js';
import { ApiKey } from './api-key.entity.js';

const NAME_TAKEN = 'A key with this name already exists in this organization';

export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/**
 * The fields a key is issued with besides its identity, owner and name: `createKey` takes them
 * from its input and `rollKey` copies them from the key it replaces (§2.2: same space,
 * category, environment, scopes, quotas, rate limit and allowlist; also the expiry, which the
 * replacement keeps with its notices and auto-renew period). A field added here is carried over
 * by every roll, and `createKey` does not compile until it sets it.
 */
export const ISSUED_KEY_FIELDS = [
  'description',
  'category',
  'environment',
  'scopes',
  'expiresAt',
  'lifetimeSeconds',
  'expiryWarnedAt',
  'expiredNotifiedAt',
  'quotaTotal',
  'quotaDaily',
  'quotaWeekly',
  'quotaMonthly',
  'rateLimitPerSecond',
  'rateLimitPerMinute',
  'ipAllowlist',
  'autoRenew',
] as const satisfies readonly (keyof ApiKey)[];

export type IssuedKeyFields = { [F in (typeof ISSUED_KEY_FIELDS)[number]]: ApiKey[F] };

/** The {@link ISSUED_KEY_FIELDS} of an existing key: what its replacement copies. */
export function issuedFieldsOf(key: ApiKey): IssuedKeyFields {
  return Object.fromEntries(ISSUED_KEY_FIELDS.map((field) => [field, key[field]])) as IssuedKeyFields;
}

/** Who, what and when a new key is, besides its {@link IssuedKeyFields}. */
export interface NewKey {
  generated: GeneratedApiKey;
  organization: Organization | string;
  space: Space;
  ownerUser: User | string | null;
  ownerKeyId: string | null;
  name: string;
  fields: IssuedKeyFields;
  rolledFromId?: string;
  now: Date;
}

/** Queues a new, active key on `em` (create and roll): only the secret's SHA-256 is stored. */
export function issueKey(em: Em, key: NewKey): ApiKey {
  return em.create(ApiKey, {
    id: key.generated.keyId,
    organization: key.organization,
    space: key.space,
    ownerUser: key.ownerUser,
    ownerKeyId: key.ownerKeyId,
    name: key.name,
    nameNormalized: key.name.toLowerCase(),
    secretHash: sha256Hex(key.generated.secret),
    preview: key.generated.preview,
    ...key.fields,
    active: true,
    rolledFromId: key.rolledFromId ?? null,
    createdAt: key.now,
    updatedAt: key.now,
  });
}

/** The largest lifetime the int column holds (~68 years); auto-renew of longer lifetimes is moot. */
const MAX_LIFETIME_SECONDS = 2_147_483_647;

/** A key's lifetime from `now` to `expiresAt`, the period auto-renew extends by (§2.2). */
export function lifetimeOf(expiresAt: Date | null, now: Date): number | null {
  if (!expiresAt) return null;
  return Math.min(MAX_LIFETIME_SECONDS, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
}

/** What the §10 create/edit/roll rules look at. */
export function policyShapeOf(
  key: Pick<ApiKey, 'environment' | 'expiresAt' | 'ipAllowlist'>,
): PolicyKeyShape {
  return {
    environment: key.environment,
    expiresAt: key.expiresAt ? key.expiresAt.getTime() : null,
    ipAllowlist: key.ipAllowlist,
  };
}

/** Flushes a new or renamed key; a name another key holds is a `CONFLICT` on `name`. */
export async function flushOrConflict(em: Em): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (isUniqueViolation(error)) throw AppError.field('CONFLICT', 'name', NAME_TAKEN);
    throw error;
  }
}

/** Fields of a key recorded in audit before/after: everything but secrets. */
export function auditView(key: ApiKey): Record<string, unknown> {
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

/** The fields whose value differs between two {@link auditView}s: the audit row's before and after. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
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
