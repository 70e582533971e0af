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
