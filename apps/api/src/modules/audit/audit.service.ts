import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AuditEvent } from './audit.entity.js';

export interface AuditActor {
  type: 'user' | 'key' | 'system';
  id: string | null;
  /** Email for users, name for keys: kept so the log reads well after the actor is gone. */
  label: string;
  ip: string | null;
}

export interface AuditEntry {
  organizationId: string;
  action: string;
  target: { type: string; id: string | null; label?: string | null };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * Queues an audit row on the EntityManager; it is written by the same flush (and so the
 * same transaction) as the change it records, so neither can exist without the other.
 */
export function recordAudit(em: Em, actor: AuditActor, entry: AuditEntry): void {
  em.create(AuditEvent, {
    id: newId('aud'),
    organizationId: entry.organizationId,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    targetLabel: entry.target.label ?? null,
    ip: actor.ip,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/** JSON-equal: audit values are plain data (strings, numbers, arrays, dates as ISO strings). */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields whose values differ between two snapshots, split into the `before` and `after`
 * halves an audit row stores; `null` when nothing changed (then there is nothing to record).
 * Snapshots must never contain secrets: callers pick the fields they pass.
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (sameValue(before[key], after[key])) continue;
    b[key] = before[key] ?? null;
    a[key] = after[key] ?? null;
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}
