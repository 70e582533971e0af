import { defineEntity, p } from '@mikro-orm/core';

/**
 * The change log that lets every API process see key changes within a second without Redis
 * (§2.2): database triggers append a row whenever a key changes in a way verification sees
 * (revoked, deactivated, expiry, scopes, allowlist, quotas, limits, secret, space, name), is
 * deleted, or its organization changes plan (`keyId` null: every key of the organization).
 * Triggers rather than application code, so that no write path (services, CLI, scheduler,
 * a `psql` session) can forget it. `verify/key-change-poller.ts` reads it; rows older than an
 * hour are deleted by the poller.
 */
export const KeyChangeSchema = defineEntity({
  name: 'KeyChange',
  tableName: 'key_changes',
  indexes: [{ name: 'key_changes_at_idx', properties: ['at'] }],
  properties: {
    seq: p.bigint('number').primary().autoincrement(),
    organizationId: p.string().length(24),
    keyId: p.string().length(20).nullable(),
    at: p.datetime().defaultRaw('clock_timestamp()'),
  },
});

export class KeyChange extends KeyChangeSchema.class {}
KeyChangeSchema.setClass(KeyChange);
