import { defineEntity, p } from '@mikro-orm/core';

export const AUDIT_ACTOR_TYPES = ['user', 'key', 'system'] as const;

/**
 * One row per mutation: who (user or key), did what, to which target, from where, with the
 * state before and after. Written in the same transaction as the change it records.
 * Deliberately no foreign keys to the actor or target: history outlives them.
 */
export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  indexes: [
    { properties: ['organizationId', 'createdAt'] },
    { properties: ['organizationId', 'actorId', 'createdAt'] },
    { properties: ['organizationId', 'targetId', 'createdAt'] },
  ],
  properties: {
    id: p.string().primary().length(24),
    /** Plain column, not a relation: events of a deleted organization may be kept for compliance. */
    organizationId: p.string().length(24),
    actorType: p.enum([...AUDIT_ACTOR_TYPES]),
    actorId: p.string().length(24).nullable(),
    actorLabel: p.string().length(320),
    action: p.string().length(64),
    targetType: p.string().length(32),
    targetId: p.string().length(24).nullable(),
    targetLabel: p.string().length(320).nullable(),
    ip: p.string().length(45).nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
