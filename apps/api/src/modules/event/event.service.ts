import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { WebhookDelivery, WebhookEndpoint } from '../webhook/webhook.entity.js';
import { Event, type TEventType } from './event.entity.js';

/**
 * Queues an event (§7) on the EntityManager: the outbox row and one pending delivery per
 * active endpoint subscribed to its type. Nothing is written until the caller flushes, so
 * the event commits or rolls back with the change that caused it; the delivery worker only
 * ever sees committed events.
 */
export async function emitEvent(
  em: Em,
  organizationId: string,
  type: TEventType,
  payload: Record<string, unknown>,
  now = new Date(),
): Promise<Event> {
  const event = em.create(Event, { id: newId('evt'), organizationId, type, payload, createdAt: now });
  const endpoints = await em.find(WebhookEndpoint, { organization: organizationId, active: true });
  for (const endpoint of endpoints) {
    if (!endpoint.events.includes(type)) continue;
    em.create(WebhookDelivery, {
      id: newId('whk'),
      organizationId,
      event,
      endpoint,
      nextAttemptAt: now,
    });
  }
  return event;
}
