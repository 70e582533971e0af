import { defineEntity, p } from '@mikro-orm/core';

export const EVENT_TYPES = [
  'key.expiring',
  'key.expired',
  'key.quota_exceeded',
  'key.revoked',
  'key.new_ip',
  'ip.blocked',
  'ip.failed_auth_burst',
  'key.idle_deactivated',
  'key.rotation_due',
  'key.leaked',
] as const;
export type TEventType = (typeof EVENT_TYPES)[number];

/**
 * What an outbox row may hold: the subscribable types, and `webhook.test`, the event an admin
 * sends to one endpoint on demand (never subscribed to, never a notification).
 */
export const STORED_EVENT_TYPES = [...EVENT_TYPES, 'webhook.test'] as const;
export type TStoredEventType = (typeof STORED_EVENT_TYPES)[number];

/**
 * The outbox (§7): one row per notification-worthy event, inserted in the same transaction
 * as its cause, with one `WebhookDelivery` per subscribed endpoint inserted alongside. The
 * SPA's notification list reads this table too.
 */
export const EventSchema = defineEntity({
  name: 'Event',
  tableName: 'events',
  indexes: [{ name: 'events_org_time_idx', properties: ['organizationId', 'createdAt', 'id'] }],
  properties: {
    id: p.string().primary().length(24),
    organizationId: p.string().length(24),
    type: p.enum([...STORED_EVENT_TYPES]),
    /** The public payload sent to webhooks (snake_case), never secrets. */
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Event extends EventSchema.class {}
EventSchema.setClass(Event);
