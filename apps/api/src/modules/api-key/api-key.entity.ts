import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../../db/entity-fields.js';
import { Organization } from '../organization/organization.entity.js';
import { Space } from '../space/space.entity.js';
import { User } from '../user/user.entity.js';

export const KEY_ENVIRONMENTS = ['live', 'test'] as const;

/**
 * An API key (§2). The secret is never stored: only its SHA-256 (`secretHash`, hex) and the
 * redacted `preview`. `id` is `key_` + the 16 characters embedded in the key, so a presented
 * key is looked up by primary key without a scan.
 *
 * Indexes serve the admin list at 100,000 keys per organization: every list query filters
 * by organization first, then orders by creation or last use.
 */
/** The columns verification reads: a change to any of them must reach every process's key cache. */
const VERIFIED_COLUMNS = [
  'revoked_at',
  'grace_ends_at',
  'active',
  'expires_at',
  'scopes',
  'ip_allowlist',
  'quota_total',
  'quota_daily',
  'quota_weekly',
  'quota_monthly',
  'rate_limit_per_second',
  'rate_limit_per_minute',
  'secret_hash',
  'space_id',
  'name',
  'environment',
  'version',
];

export const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  /**
   * Every change verification sees, whatever writes it (services, scheduler, CLI, `psql`), and
   * every delete, is appended to `key_changes` in the same transaction; each process polls it
   * (verify/key-change-poller.ts, decision 0015). `last_used_*` updates do not fire it.
   */
  triggers: [
    {
      name: 'api_keys_changed',
      timing: 'after',
      events: ['update'],
      // The test is in the body rather than a WHEN clause: PostgreSQL rewrites WHEN clauses, and
      // the schema diff would then see a change on every run.
      body: `if (${VERIFIED_COLUMNS.map((c) => `old.${c}`).join(', ')}) is distinct from (${VERIFIED_COLUMNS.map((c) => `new.${c}`).join(', ')}) then insert into key_changes (organization_id, key_id) values (new.organization_id, new.id); end if; return new;`,
    },
    {
      name: 'api_keys_deleted',
      timing: 'after',
      events: ['delete'],
      body: 'insert into key_changes (organization_id, key_id) values (old.organization_id, old.id); return old;',
    },
  ],
  uniques: [
    // A rolled key keeps its name beside its replacement's (issue 11): names are unique among
    // the keys that are not rolled, which is every key a new name can clash with.
    {
      name: 'api_keys_org_name_unique',
      expression:
        'create unique index "api_keys_org_name_unique" on "api_keys" ("organization_id", "name_normalized") where "rolled_to_id" is null',
    },
  ],
  indexes: [
    { name: 'api_keys_org_created_idx', properties: ['organization', 'createdAt', 'id'] },
    // In the list's own order (`desc nulls last`), so the last-used sort reads the index in order.
    {
      name: 'api_keys_org_last_used_desc_idx',
      expression:
        'create index "api_keys_org_last_used_desc_idx" on "api_keys" ("organization_id", "last_used_at" desc nulls last, "id" desc)',
    },
    { name: 'api_keys_org_space_created_idx', properties: ['organization', 'space', 'createdAt', 'id'] },
    { name: 'api_keys_org_owner_idx', properties: ['organization', 'ownerUser'] },
    { name: 'api_keys_grace_idx', properties: ['graceEndsAt'] },
    { name: 'api_keys_expires_idx', properties: ['expiresAt'] },
    // The rotation-reminder job's range scan (§10): per organization, keys whose period has run out.
    {
      name: 'api_keys_rotation_due_idx',
      expression:
        'create index "api_keys_rotation_due_idx" on "api_keys" ("organization_id", (coalesce("rotation_reminded_at", "created_at"))) where "revoked_at" is null',
    },
  ],
  properties: {
    id: p.string().primary().length(20),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    space: () => p.manyToOne(Space).deleteRule('cascade'),
    /** The creating user, or null when a key created it (then `ownerKeyId` is set). */
    ownerUser: () => p.manyToOne(User).deleteRule('set null').nullable(),
    ownerKeyId: p.string().length(20).nullable(),
    name: p.string().length(128),
    nameNormalized: p.string().length(128),
    description: p.string().length(1024).default(''),
    category: p.string().length(32),
    environment: p.enum([...KEY_ENVIRONMENTS]),
    scopes: p.json<string[]>(),
    secretHash: p.string().length(64).hidden(),
    preview: p.string().length(40),
    expiresAt: p.datetime().nullable(),
    active: p.boolean().default(true),
    revokedAt: p.datetime().nullable(),
    quotaTotal: p.integer().nullable(),
    quotaDaily: p.integer().nullable(),
    quotaWeekly: p.integer().nullable(),
    quotaMonthly: p.integer().nullable(),
    rateLimitPerSecond: p.integer().nullable(),
    rateLimitPerMinute: p.integer().nullable(),
    ipAllowlist: p.json<string[]>(),
    autoRenew: p.boolean().default(false),
    /** The key's original lifetime (creation to first expiry): what auto-renew extends by. */
    lifetimeSeconds: p.integer().nullable(),
    /** Set on the old key of a roll: when it is revoked automatically. */
    graceEndsAt: p.datetime().nullable(),
    rolledToId: p.string().length(20).nullable(),
    rolledFromId: p.string().length(20).nullable(),
    ...timestamps(),
    lastUsedAt: p.datetime().nullable(),
    lastUsedIp: p.string().length(45).nullable(),
    /** When the 30-days-before-expiry notice went out for the current `expiresAt` (reset when it changes). */
    expiryWarnedAt: p.datetime().nullable(),
    /** When the expired notice went out for the current `expiresAt`. */
    expiredNotifiedAt: p.datetime().nullable(),
    /** When an admin last reactivated the key: the idle rule (§10) counts from here too. */
    reactivatedAt: p.datetime().nullable(),
    /** When the last `key.rotation_due` went out (§10); the next is one rotation period later. */
    rotationRemindedAt: p.datetime().nullable(),
    /** Bumped on every change the verifier must see; caches compare it. */
    version: p.integer().default(1),
  },
});

export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
