import { randomBytes } from 'node:crypto';
import { auditOf, authorize, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError } from '../../errors.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { Event, type TEventType, type TStoredEventType } from '../event/event.entity.js';
import { cursorTimeSql, decodeTimeCursor, encodeTimeCursor } from '../event/time-cursor.js';
import type { SecretBox } from './secret-box.js';
import { WebhookDelivery, WebhookEndpoint } from './webhook.entity.js';
import type {
  TCreateWebhook,
  TDeliveryPage,
  TListDeliveries,
  TRotateWebhookSecret,
  TUpdateWebhook,
  TWebhookDelivery,
  TWebhookEndpoint,
  TWebhookWithSecret,
} from './webhook.schemas.js';
import { validateWebhookUrl, type WebhookTargetPolicy } from './webhook-url.js';

/** What the webhook services need besides the context: the secret box, the URL rules. */
export interface WebhookDeps {
  secrets: SecretBox;
  policy: WebhookTargetPolicy;
  /** The instant to act at, if not the context's. */
  now?: Date;
}

/** An organization may register this many endpoints (as Stripe does), to bound fan-out per event. */
export const MAX_ENDPOINTS_PER_ORGANIZATION = 16;

/** `whsec_` + 32 random bytes, base64url: the HMAC key receivers verify signatures with. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function secretHint(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}

/** The authenticated context of a sealed secret: it opens only on the row it was made for. */
export function secretContext(endpointId: string): string {
  return `webhook_endpoint:${endpointId}`;
}

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

export function toEndpointDto(endpoint: WebhookEndpoint, now = new Date()): TWebhookEndpoint {
  const overlap = endpoint.previousSecretExpiresAt;
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events as TEventType[],
    active: endpoint.active,
    secretHint: endpoint.secretHint,
    previousSecretExpiresAt: overlap && overlap > now ? overlap.toISOString() : null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

/** Endpoint fields recorded in audit before/after: never the secret. */
function auditView(endpoint: WebhookEndpoint): Record<string, unknown> {
  return {
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    active: endpoint.active,
  };
}

async function loadEndpoint(em: Em, organizationId: string, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await em.findOne(WebhookEndpoint, { id: endpointId, organization: organizationId });
  if (!endpoint) throw AppError.notFound('Webhook endpoint');
  return endpoint;
}

/** The organization's endpoints, oldest first; secrets only as hints. Needs `webhook.read`. */
export async function listEndpoints(ctx: ServiceContext): Promise<TWebhookEndpoint[]> {
  authorize(ctx, 'webhook.read');
  const endpoints = await ctx.em.find(
    WebhookEndpoint,
    { organization: ctx.organizationId },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const now = new Date();
  return endpoints.map((endpoint) => toEndpointDto(endpoint, now));
}

/** Registers an endpoint; the answer carries its signing secret, which is never shown again. */
export async function createEndpoint(
  ctx: ServiceContext,
  input: TCreateWebhook,
  deps: WebhookDeps,
): Promise<TWebhookWithSecret> {
  authorize(ctx, 'webhook.manage');
  const { em, organizationId } = ctx;
  const now = deps.now ?? ctx.now;
  const url = validateWebhookUrl(input.url, deps.policy);
  const count = await em.count(WebhookEndpoint, { organization: organizationId });
  if (count >= MAX_ENDPOINTS_PER_ORGANIZATION) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `An organization can have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints`,
    );
  }
  const id = newId('whk');
  const secret = generateWebhookSecret();
  const endpoint = em.create(WebhookEndpoint, {
    id,
    organization: organizationId,
    url,
    description: input.description ?? '',
    events: input.events,
    secretCiphertext: deps.secrets.seal(secret, secretContext(id)),
    secretHint: secretHint(secret),
    active: true,
    createdAt: now,
    updatedAt: now,
  });
  recordAudit(em, auditOf(ctx), {
    organizationId,
    action: 'webhook.create',
    target: { type: 'webhook_endpoint', id, label: url },
    after: auditView(endpoint),
  });
  await em.flush();
  return { endpoint: toEndpointDto(endpoint, now), secret };
}

/**
 * Changes URL, events, description or state. Disabling an endpoint fails its pending
 * deliveries (they can be redelivered by hand after it is enabled again), so re-enabling it
 * later does not unleash a backlog of stale events.
 */
export async function updateEndpoint(
  ctx: ServiceContext,
  input: TUpdateWebhook,
  deps: WebhookDeps,
): Promise<TWebhookEndpoint> {
  authorize(ctx, 'webhook.manage');
  const now = deps.now ?? ctx.now;
  return ctx.em.transactional(async (tx) => {
    const endpoint = await loadEndpoint(tx, ctx.organizationId, input.endpointId);
    const before = auditView(endpoint);
    if (input.url !== undefined) endpoint.url = validateWebhookUrl(input.url, deps.policy);
    if (input.description !== undefined) endpoint.description = input.description;
    if (input.events !== undefined) endpoint.events = input.events;
    if (input.active !== undefined) endpoint.active = input.active;
    const diff = changedFields(before, auditView(endpoint));
    if (!diff) return toEndpointDto(endpoint, now);
    if (input.active === false && before.active === true) {
      await tx.nativeUpdate(
        WebhookDelivery,
        { endpoint: endpoint.id, status: 'pending' },
        { status: 'failed', lastError: 'endpoint disabled before delivery' },
      );
    }
    recordAudit(tx, auditOf(ctx), {
      organizationId: ctx.organizationId,
      action: 'webhook.update',
      target: { type: 'webhook_endpoint', id: endpoint.id, label: endpoint.url },
      ...diff,
    });
    await tx.flush();
    return toEndpointDto(endpoint, now);
  });
}

/**
 * Replaces the signing secret; the new one is in the answer and nowhere else. With an
 * overlap, deliveries are signed with both secrets until it ends, so receivers can switch
 * without losing events; without one the old secret stops at once.
 */
export async function rotateEndpointSecret(
  ctx: ServiceContext,
  input: TRotateWebhookSecret,
  deps: WebhookDeps,
): Promise<TWebhookWithSecret> {
  authorize(ctx, 'webhook.manage');
  const { em } = ctx;
  const now = deps.now ?? ctx.now;
  const endpoint = await em.findOne(
    WebhookEndpoint,
    { id: input.endpointId, organization: ctx.organizationId },
    { populate: ['secretCiphertext'] },
  );
  if (!endpoint) throw AppError.notFound('Webhook endpoint');
  const previousHint = endpoint.secretHint;
  const secret = generateWebhookSecret();
  const overlapEnds = input.overlapSeconds > 0 ? new Date(now.getTime() + input.overlapSeconds * 1000) : null;
  endpoint.previousSecretCiphertext = overlapEnds ? endpoint.secretCiphertext : null;
  endpoint.previousSecretExpiresAt = overlapEnds;
  endpoint.secretCiphertext = deps.secrets.seal(secret, secretContext(endpoint.id));
  endpoint.secretHint = secretHint(secret);
  recordAudit(em, auditOf(ctx), {
    organizationId: ctx.organizationId,
    action: 'webhook.rotate_secret',
    target: { type: 'webhook_endpoint', id: endpoint.id, label: endpoint.url },
    before: { secretHint: previousHint },
    after: { secretHint: endpoint.secretHint, previousSecretExpiresAt: iso(overlapEnds) },
  });
  await em.flush();
  return { endpoint: toEndpointDto(endpoint, now), secret };
}

/** Removes the endpoint and its delivery log (the events stay: they are the notification list). */
export async function deleteEndpoint(ctx: ServiceContext, endpointId: string): Promise<{ id: string }> {
  authorize(ctx, 'webhook.manage');
  const { em } = ctx;
  const endpoint = await loadEndpoint(em, ctx.organizationId, endpointId);
  recordAudit(em, auditOf(ctx), {
    organizationId: ctx.organizationId,
    action: 'webhook.delete',
    target: { type: 'webhook_endpoint', id: endpoint.id, label: endpoint.url },
    before: auditView(endpoint),
  });
  em.remove(endpoint);
  await em.flush();
  return { id: endpointId };
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: TStoredEventType;
  status: TWebhookDelivery['status'];
  attempts: number;
  next_attempt_at: Date | string;
  last_attempt_at: Date | string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
  created_at: Date | string;
  cursor_time: string;
}

function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function toDeliveryDto(row: DeliveryRow): TWebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? isoOrNull(row.next_attempt_at) : null,
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: isoOrNull(row.delivered_at),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const DELIVERY_COLUMNS = `d.id, d.endpoint_id, d.event_id, e.type as event_type, d.status, d.attempts,
  d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error, d.delivered_at, d.created_at,
  ${cursorTimeSql('d.created_at')} as cursor_time`;

/** The delivery log of one endpoint, newest first, with attempts and the last answer of each. */
export async function listDeliveries(ctx: ServiceContext, input: TListDeliveries): Promise<TDeliveryPage> {
  authorize(ctx, 'webhook.read');
  const { em } = ctx;
  await loadEndpoint(em, ctx.organizationId, input.endpointId);
  const where = ['d.organization_id = ?', 'd.endpoint_id = ?'];
  const params: unknown[] = [ctx.organizationId, input.endpointId];
  if (input.status) {
    where.push('d.status = ?');
    params.push(input.status);
  }
  if (input.cursor) {
    const cursor = decodeTimeCursor(input.cursor);
    where.push('(d.created_at, d.id) < (?::timestamptz, ?)');
    params.push(cursor.time, cursor.id);
  }
  const rows = await em.execute<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS}
       from webhook_deliveries d join events e on e.id = d.event_id
      where ${where.join(' and ')}
      order by d.created_at desc, d.id desc limit ?`,
    [...params, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: page.map(toDeliveryDto),
    nextCursor:
      rows.length > input.limit && last ? encodeTimeCursor({ time: last.cursor_time, id: last.id }) : null,
  };
}

/**
 * Sends an event to the endpoint again: a new pending delivery of the same event (same
 * `Keysmith-Event-Id`, so receivers can de-duplicate), tried at once and then on the usual
 * schedule. The original delivery stays in the log as it was.
 */
export async function redeliver(
  ctx: ServiceContext,
  deliveryId: string,
  deps: Pick<WebhookDeps, 'now'> = {},
): Promise<TWebhookDelivery> {
  authorize(ctx, 'webhook.manage');
  const { em, organizationId } = ctx;
  const now = deps.now ?? ctx.now;
  const original = await em.findOne(
    WebhookDelivery,
    { id: deliveryId, organizationId },
    { populate: ['endpoint', 'event'] },
  );
  if (!original) throw AppError.notFound('Delivery');
  if (!original.endpoint.active) {
    throw new AppError('PRECONDITION_FAILED', 'This endpoint is disabled: enable it before redelivering');
  }
  const pending = await em.count(WebhookDelivery, {
    event: original.event.id,
    endpoint: original.endpoint.id,
    status: 'pending',
  });
  if (pending > 0) throw new AppError('CONFLICT', 'This event is already queued for this endpoint');
  const copy = queueDelivery(em, organizationId, original.event, original.endpoint, now);
  recordAudit(em, auditOf(ctx), {
    organizationId,
    action: 'webhook.redeliver',
    target: { type: 'webhook_endpoint', id: original.endpoint.id, label: original.endpoint.url },
    after: { deliveryId: copy.id, redeliveryOf: original.id, eventId: original.event.id },
  });
  await em.flush();
  return pendingDeliveryDto(copy.id, original.endpoint.id, original.event, now);
}

/** A pending delivery of `event` to `endpoint`, due now (the worker sends it on its next tick). */
function queueDelivery(
  em: Em,
  organizationId: string,
  event: Event,
  endpoint: WebhookEndpoint,
  now: Date,
): WebhookDelivery {
  return em.create(WebhookDelivery, {
    id: newId('dlv'),
    organizationId,
    event,
    endpoint,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  });
}

/** A delivery just queued, as the log shows it. */
function pendingDeliveryDto(
  id: string,
  endpointId: string,
  event: Pick<Event, 'id' | 'type'>,
  now: Date,
): TWebhookDelivery {
  return {
    id,
    endpointId,
    eventId: event.id,
    eventType: event.type,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    lastAttemptAt: null,
    lastStatusCode: null,
    lastError: null,
    deliveredAt: null,
    createdAt: now.toISOString(),
  };
}

/**
 * Sends a `webhook.test` event to one endpoint, whatever it subscribes to: an outbox row and
 * one pending delivery, sent by the worker at once, signed and logged like any other, so the
 * admin sees the attempt and the receiver's answer in the endpoint's delivery log. Test events
 * are not notifications.
 */
export async function sendTestEvent(
  ctx: ServiceContext,
  endpointId: string,
  deps: Pick<WebhookDeps, 'now'> = {},
): Promise<TWebhookDelivery> {
  authorize(ctx, 'webhook.manage');
  const { em, organizationId } = ctx;
  const now = deps.now ?? ctx.now;
  const endpoint = await em.findOne(WebhookEndpoint, { id: endpointId, organization: organizationId });
  if (!endpoint) throw AppError.notFound('Webhook endpoint');
  if (!endpoint.active) {
    throw new AppError('PRECONDITION_FAILED', 'This endpoint is disabled: enable it to send a test event');
  }
  const event = em.create(Event, {
    id: newId('evt'),
    organizationId,
    type: 'webhook.test',
    payload: {
      endpoint_id: endpoint.id,
      message: 'A test event sent from the Keysmith admin. No key changed.',
    },
    createdAt: now,
  });
  const delivery = queueDelivery(em, organizationId, event, endpoint, now);
  recordAudit(em, auditOf(ctx), {
    organizationId,
    action: 'webhook.test',
    target: { type: 'webhook_endpoint', id: endpoint.id, label: endpoint.url },
    after: { deliveryId: delivery.id, eventId: event.id },
  });
  await em.flush();
  return pendingDeliveryDto(delivery.id, endpoint.id, event, now);
}
