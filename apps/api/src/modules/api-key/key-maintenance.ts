import type { Em } from '../../db/orm.js';
import { emitEvents } from '../event/event.service.js';
import { type KeyEventRow, keyEventPayload, keySubjectOfRow } from '../event/key-event-payload.js';
import type { KeyChangePublisher } from './key-changes.js';

interface ChangedRow {
  id: string;
  organization_id: string;
  name: string;
}

interface GraceEndedRow extends KeyEventRow {
  grace_ends_at: Date | string;
  rolled_to_id: string | null;
}

/**
 * Stamps `revokedAt` on keys whose roll grace period has ended, audits it and emits
 * `key.revoked` (§7), all in one transaction. The UPDATE is conditional: rows already stamped
 * are skipped, so any number of API processes may run it at once and each key is revoked,
 * audited and announced exactly once. Verification does not wait for this: it already
 * treats `graceEndsAt <= now` as revoked; this makes the state durable and visible.
 */
export async function revokeEndedGracePeriods(
  em: Em,
  changes: KeyChangePublisher,
  now = new Date(),
): Promise<number> {
  const rows = await em.transactional(async (tx) => {
    const revoked = await tx.execute<GraceEndedRow[]>(
      `with revoked as (
         update api_keys set revoked_at = grace_ends_at, version = version + 1, updated_at = ?
          where revoked_at is null and grace_ends_at is not null and grace_ends_at <= ?
          returning id, organization_id, name, space_id, environment, preview, expires_at, grace_ends_at, rolled_to_id
       ), audited as (
         insert into audit_events (id, organization_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, ip, before, after, created_at)
         select 'aud_' || substr(md5(random()::text || id), 1, 16), organization_id, 'system', null, 'scheduler', 'key.revoke',
                'api_key', id, name, null, '{"revokedAt":null}'::jsonb,
                jsonb_build_object('revokedAt', grace_ends_at, 'reason', 'roll grace period ended'), ?
           from revoked
       )
       select * from revoked`,
      [now, now, now],
    );
    await emitEvents(
      tx,
      revoked.map((row) => ({
        organizationId: row.organization_id,
        type: 'key.revoked' as const,
        payload: keyEventPayload(keySubjectOfRow(row), {
          revoked_at: new Date(row.grace_ends_at).toISOString(),
          reason: 'roll_grace_ended',
          replaced_by: row.rolled_to_id,
        }),
      })),
      now,
    );
    return revoked;
  });
  for (const row of rows) changes.publish(row.organization_id, row.id);
  return rows.length;
}

/** The §10 `max_lifetime_days` in force for key `k` (organization and space rows merged), or null. */
const MAX_LIFETIME_DAYS = `(select min(p.max_lifetime_days) from key_policies p
   where p.organization_id = k.organization_id and (p.space_id is null or p.space_id = k.space_id))`;

/**
 * Enterprise auto-renew (§2.2): seven days before expiry (or half the lifetime, for keys
 * that live less than two weeks, so a short-lived key is not renewed on every tick) the
 * expiry moves forward by the key's original lifetime. Under a key policy's
 * `max_lifetime_days` (§10) the new expiry is at most that far ahead, and renewal starts at
 * most half that period before expiry, so each renewal still extends by a useful amount.
 * The UPDATE re-checks that the expiry is still the one judged due, so concurrent runs renew
 * each key once per period.
 */
export async function renewExpiringKeys(
  em: Em,
  changes: KeyChangePublisher,
  now = new Date(),
): Promise<number> {
  const rows: ChangedRow[] = await em.getConnection().execute(
    `with due as (
       select k.id, k.expires_at as old_expires_at,
              least(k.expires_at + make_interval(secs => k.lifetime_seconds),
                    ?::timestamptz + make_interval(days => ${MAX_LIFETIME_DAYS})) as new_expires_at
         from api_keys k join organizations o on o.id = k.organization_id
        where o.plan = 'enterprise'
          and k.auto_renew and k.revoked_at is null and k.lifetime_seconds > 0
          and k.expires_at > ?
          and k.expires_at <= ?::timestamptz + make_interval(secs =>
                least(7 * 86400, k.lifetime_seconds / 2, ${MAX_LIFETIME_DAYS} * 43200))
     ), renewed as (
       update api_keys k
          set expires_at = due.new_expires_at,
              expiry_warned_at = null, expired_notified_at = null,
              version = k.version + 1, updated_at = ?
         from due
        where k.id = due.id and k.expires_at = due.old_expires_at and due.new_expires_at > k.expires_at
        returning k.id, k.organization_id, k.name, k.expires_at, due.old_expires_at
     ), audited as (
       insert into audit_events (id, organization_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, ip, before, after, created_at)
       select 'aud_' || substr(md5(random()::text || id), 1, 16), organization_id, 'system', null, 'scheduler', 'key.auto_renew',
              'api_key', id, name, null,
              jsonb_build_object('expiresAt', old_expires_at),
              jsonb_build_object('expiresAt', expires_at), ?
         from renewed
     )
     select id, organization_id, name from renewed`,
    [now, now, now, now, now],
  );
  for (const row of rows) changes.publish(row.organization_id, row.id);
  return rows.length;
}
