import type { Em } from '../../db/orm.js';
import type { KeyChangePublisher } from './key-changes.js';

interface ChangedRow {
  id: string;
  organization_id: string;
  name: string;
}

/**
 * Stamps `revokedAt` on keys whose roll grace period has ended. One conditional UPDATE: rows
 * already stamped are skipped, so any number of API processes may run it at once and each key
 * is revoked (and audited) exactly once. Verification does not wait for this: it already
 * treats `graceEndsAt <= now` as revoked; this makes the state durable and visible.
 */
export async function revokeEndedGracePeriods(
  em: Em,
  changes: KeyChangePublisher,
  now = new Date(),
): Promise<number> {
  const rows: ChangedRow[] = await em.getConnection().execute(
    `with revoked as (
       update api_keys set revoked_at = grace_ends_at, version = version + 1, updated_at = ?
        where revoked_at is null and grace_ends_at is not null and grace_ends_at <= ?
        returning id, organization_id, name, grace_ends_at
     ), audited as (
       insert into audit_events (id, organization_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, ip, before, after, created_at)
       select 'aud_' || substr(md5(random()::text || id), 1, 16), organization_id, 'system', null, 'scheduler', 'key.revoke',
              'api_key', id, name, null, '{"revokedAt":null}'::jsonb,
              jsonb_build_object('revokedAt', grace_ends_at, 'reason', 'roll grace period ended'), ?
         from revoked
     )
     select id, organization_id, name from revoked`,
    [now, now, now],
  );
  for (const row of rows) changes.publish(row.organization_id, row.id);
  return rows.length;
}

/**
 * Enterprise auto-renew (§2.2): seven days before expiry (or half the lifetime, for keys
 * that live less than two weeks, so a short-lived key is not renewed on every tick) the
 * expiry moves forward by the key's original lifetime. The condition is re-checked in the
 * UPDATE itself, so concurrent runs renew each key once per period.
 */
export async function renewExpiringKeys(
  em: Em,
  changes: KeyChangePublisher,
  now = new Date(),
): Promise<number> {
  const rows: ChangedRow[] = await em.getConnection().execute(
    `with renewed as (
       update api_keys k
          set expires_at = k.expires_at + make_interval(secs => k.lifetime_seconds),
              expiry_warned_at = null, expired_notified_at = null,
              version = k.version + 1, updated_at = ?
         from organizations o
        where o.id = k.organization_id and o.plan = 'enterprise'
          and k.auto_renew and k.revoked_at is null and k.lifetime_seconds > 0
          and k.expires_at > ?
          and k.expires_at <= ?::timestamptz + make_interval(secs => least(7 * 86400, k.lifetime_seconds / 2))
        returning k.id, k.organization_id, k.name, k.expires_at, k.lifetime_seconds
     ), audited as (
       insert into audit_events (id, organization_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, ip, before, after, created_at)
       select 'aud_' || substr(md5(random()::text || id), 1, 16), organization_id, 'system', null, 'scheduler', 'key.auto_renew',
              'api_key', id, name, null,
              jsonb_build_object('expiresAt', expires_at - make_interval(secs => lifetime_seconds)),
              jsonb_build_object('expiresAt', expires_at), ?
         from renewed
     )
     select id, organization_id, name from renewed`,
    [now, now, now, now],
  );
  for (const row of rows) changes.publish(row.organization_id, row.id);
  return rows.length;
}
