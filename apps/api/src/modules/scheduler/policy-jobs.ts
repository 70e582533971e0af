import type { Em } from '../../db/orm.js';
import type { KeyChangePublisher } from '../api-key/key-changes.js';
import { recordAudit } from '../audit/audit.service.js';
import { emitEvents } from '../event/event.service.js';
import {
  KEY_EVENT_COLUMNS,
  type KeyEventRow,
  keyEventPayload,
  keySubjectOfRow,
} from '../event/key-event-payload.js';
import type { ScheduledJob } from './scheduler.js';

/** Keys handled per statement; the next run takes the rest. */
const BATCH = 500;

const SCHEDULER = { type: 'system', id: null, label: 'scheduler', ip: null } as const;

interface PolicyRow extends KeyEventRow {
  /** The rule's days in force for the key (organization and space merged). */
  days: number;
  /** Idle job: when the idle clock started; rotation job: when the key was created. */
  since: Date | string;
}

/**
 * Due keys of one §10 rule, locked, with the rule's days in force for each. The rule in force
 * for a key is the domain's `mergeKeyPolicies(organization, space)`, here `min(days)` over the
 * organization's row and the space's row. `thresholds` (each organization's smallest value)
 * only narrows the scan to organizations that have the rule, and to keys no rule can spare;
 * the exact check per key follows.
 */
function dueKeys(column: 'idle_deactivate_days' | 'rotation_reminder_days', clock: string): string {
  return `with thresholds as (
      select organization_id, min(${column}) as days from key_policies
       where ${column} is not null group by organization_id
    ), due as (
      select k.id, e.days from thresholds t
        join api_keys k on k.organization_id = t.organization_id
        cross join lateral (
          select min(p.${column}) as days from key_policies p
           where p.organization_id = k.organization_id and (p.space_id is null or p.space_id = k.space_id)
        ) e
       where k.revoked_at is null and k.grace_ends_at is null and k.active
         and (k.expires_at is null or k.expires_at > ?::timestamptz)
         and ${clock} <= ?::timestamptz - make_interval(days => t.days)
         and e.days is not null
         and ${clock} <= ?::timestamptz - make_interval(days => e.days)
       order by k.id
       limit ${BATCH}
       for update of k skip locked
    )`;
}

const RETURNING = `returning ${KEY_EVENT_COLUMNS}`;

/** The idle clock (domain `idleSince`): last use, creation or reactivation, whichever is latest. */
const IDLE_CLOCK = 'greatest(k.created_at, k.last_used_at, k.reactivated_at)';

/**
 * §10 `idle_deactivate_days`: deactivates active keys unused that long, each with an audit row
 * and `key.idle_deactivated` (notification and webhook) in the same transaction, then tells
 * every verifier cache. Due rows are locked `skip locked` and the UPDATE re-checks the idle
 * clock, so with any number of processes each key is deactivated and announced once; a use
 * that lands meanwhile (its `last_used_at` written first) spares the key.
 */
export async function deactivateIdleKeys(
  em: Em,
  changes: KeyChangePublisher,
  now = new Date(),
): Promise<number> {
  const rows = await em.transactional(async (tx) => {
    const deactivated = await tx.execute<PolicyRow[]>(
      `${dueKeys('idle_deactivate_days', IDLE_CLOCK)}
       update api_keys k set active = false, version = k.version + 1, updated_at = ?
         from due
        where k.id = due.id and k.active and k.revoked_at is null
          and ${IDLE_CLOCK} <= ?::timestamptz - make_interval(days => due.days)
       ${RETURNING}, due.days, ${IDLE_CLOCK} as since`,
      [now, now, now, now, now],
    );
    for (const row of deactivated) {
      recordAudit(tx, SCHEDULER, {
        organizationId: row.organization_id,
        action: 'key.idle_deactivate',
        target: { type: 'api_key', id: row.id, label: row.name },
        before: { active: true },
        after: {
          active: false,
          idleSince: new Date(row.since).toISOString(),
          idleDeactivateDays: row.days,
        },
      });
    }
    await emitEvents(
      tx,
      deactivated.map((row) => ({
        organizationId: row.organization_id,
        type: 'key.idle_deactivated' as const,
        payload: keyEventPayload(keySubjectOfRow(row), {
          deactivated_at: now.toISOString(),
          idle_since: new Date(row.since).toISOString(),
          idle_deactivate_days: row.days,
        }),
      })),
      now,
    );
    return deactivated;
  });
  for (const row of rows) changes.publish(row.organization_id, row.id);
  return rows.length;
}

/** The rotation clock (domain `nextRotationReminderAt`): creation, then each reminder. */
const ROTATION_CLOCK = 'coalesce(k.rotation_reminded_at, k.created_at)';

/**
 * §10 `rotation_reminder_days`: `key.rotation_due` (notification and webhook) and an audit row
 * for each active key older than the rotation period, once per period: the reminder stamps
 * `rotation_reminded_at`, and the next is due one period later. Locked and re-checked as above,
 * so exactly once across processes. Keys are not changed otherwise (no cache announcement).
 */
export async function remindKeyRotation(em: Em, now = new Date()): Promise<number> {
  return em.transactional(async (tx) => {
    const reminded = await tx.execute<PolicyRow[]>(
      `${dueKeys('rotation_reminder_days', ROTATION_CLOCK)}
       update api_keys k set rotation_reminded_at = ?
         from due
        where k.id = due.id and ${ROTATION_CLOCK} <= ?::timestamptz - make_interval(days => due.days)
       ${RETURNING}, due.days, k.created_at as since`,
      [now, now, now, now, now],
    );
    for (const row of reminded) {
      recordAudit(tx, SCHEDULER, {
        organizationId: row.organization_id,
        action: 'key.rotation_due',
        target: { type: 'api_key', id: row.id, label: row.name },
        after: { createdAt: new Date(row.since).toISOString(), rotationReminderDays: row.days },
      });
    }
    await emitEvents(
      tx,
      reminded.map((row) => ({
        organizationId: row.organization_id,
        type: 'key.rotation_due' as const,
        payload: keyEventPayload(keySubjectOfRow(row), {
          created_at: new Date(row.since).toISOString(),
          age_days: Math.floor((now.getTime() - new Date(row.since).getTime()) / 86_400_000),
          rotation_reminder_days: row.days,
        }),
      })),
      now,
    );
    return reminded.length;
  });
}

/**
 * The §10 jobs. Their rules count in days, so each process runs them every `periodMs`
 * (`KEY_POLICY_PERIOD_MS`, default a minute) rather than every scheduler tick: each run scans
 * the keys of organizations that have the rule.
 */
export function policyJobs(changes: KeyChangePublisher, periodMs: number): ScheduledJob[] {
  return [
    { name: 'idleDeactivated', intervalMs: periodMs, run: (em, now) => deactivateIdleKeys(em, changes, now) },
    { name: 'rotationDue', intervalMs: periodMs, run: remindKeyRotation },
  ];
}
