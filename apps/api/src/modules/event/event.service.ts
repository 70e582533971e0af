import { FlushMode } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { WebhookDelivery, WebhookEndpoint } from '../webhook/webhook.entity.js';
import { Event, type TEventType } from './event.entity.js';

/** One event to queue with {@link emitEvents}. */
export interface EventDraft {
  organizationId: string;
  type: TEventType;
  /** The public payload (snake_case), never secrets; `space_id` scopes who sees it in the admin. */
  payload: Record<string, unknown>;
}

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
  const [event] = await emitEvents(em, [{ organizationId, type, payload }], now);
  if (!event) throw new Error('emitEvents returned no event');
  return event;
}

/**
 * {@link emitEvent} for many events at once (the scheduler's batches): the subscribed
 * endpoints of every organization involved are read in one query.
 */
export async function emitEvents(em: Em, drafts: readonly EventDraft[], now = new Date()): Promise<Event[]> {
  if (drafts.length === 0) return [];
  const organizationIds = [...new Set(drafts.map((d) => d.organizationId))];
  // COMMIT flush mode: reading endpoints must not flush the caller's pending change early,
  // or the cause would be written before (and without) its event.
  const endpoints = await em.find(
    WebhookEndpoint,
    { organization: { $in: organizationIds }, active: true },
    { flushMode: FlushMode.COMMIT },
  );
  return drafts.map((draft) => {
    const event = em.create(Event, {
      id: newId('evt'),
      organizationId: draft.organizationId,
      type: draft.type,
      payload: draft.payload,
      createdAt: now,
    });
    for (const endpoint of endpoints) {
      if (endpoint.organization.id !== draft.organizationId || !endpoint.events.includes(draft.type))
        continue;
      em.create(WebhookDelivery, {
        id: newId('dlv'),
        organizationId: draft.organizationId,
        event,
        endpoint,
        nextAttemptAt: now,
        createdAt: now,
      });
    }
    return event;
  });
}
