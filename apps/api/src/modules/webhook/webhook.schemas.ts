import { z } from 'zod';
import { EVENT_TYPES, STORED_EVENT_TYPES, type TEventType } from '../event/event.entity.js';
import { DELIVERY_STATUSES } from './webhook.entity.js';

const ZIdSchema = z.string().min(1).max(64);

export const ZWebhookUrlSchema = z
  .string()
  .trim()
  .min(1, 'Enter a URL')
  .max(2048, 'URLs must be at most 2048 characters');

function isEventType(value: string): value is TEventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * The event types an endpoint receives: at least one, each once, in a stable order. Errors
 * name the `events` field itself, not an array index, so a form can show them beside it.
 */
export const ZWebhookEventsSchema = z
  .array(z.string())
  .min(1, 'Choose at least one event')
  .max(64)
  .refine((events) => events.every(isEventType), {
    message: `Unknown event type; the types are ${EVENT_TYPES.join(', ')}`,
  })
  .transform((events): TEventType[] => EVENT_TYPES.filter((type) => events.includes(type)));

export const ZWebhookDescriptionSchema = z
  .string()
  .trim()
  .max(256, 'Descriptions must be at most 256 characters');

export const ZCreateWebhookSchema = z.object({
  url: ZWebhookUrlSchema,
  description: ZWebhookDescriptionSchema.optional(),
  events: ZWebhookEventsSchema,
});
export type TCreateWebhook = z.infer<typeof ZCreateWebhookSchema>;

export const ZUpdateWebhookSchema = z.object({
  endpointId: ZIdSchema,
  url: ZWebhookUrlSchema.optional(),
  description: ZWebhookDescriptionSchema.optional(),
  events: ZWebhookEventsSchema.optional(),
  /** A disabled endpoint receives nothing; deliveries still pending when it is disabled fail. */
  active: z.boolean().optional(),
});
export type TUpdateWebhook = z.infer<typeof ZUpdateWebhookSchema>;

/** Longest a rotated-out secret may keep signing deliveries beside the new one. */
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 86_400;

export const ZRotateWebhookSecretSchema = z.object({
  endpointId: ZIdSchema,
  /**
   * How long the current secret keeps signing (a second `v1`) beside the new one, so
   * receivers can switch without dropping deliveries. 0 (default): it stops at once, which is
   * what a leaked secret needs.
   */
  overlapSeconds: z
    .number()
    .int('Must be a whole number of seconds')
    .min(0)
    .max(MAX_SECRET_OVERLAP_SECONDS, 'At most 7 days')
    .default(0),
});
export type TRotateWebhookSecret = z.infer<typeof ZRotateWebhookSecretSchema>;

export const ZWebhookRefSchema = z.object({ endpointId: ZIdSchema });

/** An endpoint as admins see it: never the secret, only its hint. */
export const ZWebhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(EVENT_TYPES)),
  active: z.boolean(),
  /** `whsec_…` and the last 4 characters, to tell secrets apart. */
  secretHint: z.string(),
  /** While a rotated-out secret still signs: until when. */
  previousSecretExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TWebhookEndpoint = z.infer<typeof ZWebhookEndpointSchema>;

/** Create and rotate answers: the only time the signing secret is shown. */
export const ZWebhookWithSecretSchema = z.object({ endpoint: ZWebhookEndpointSchema, secret: z.string() });
export type TWebhookWithSecret = z.infer<typeof ZWebhookWithSecretSchema>;

export const ZListDeliveriesSchema = z.object({
  endpointId: ZIdSchema,
  status: z.enum(DELIVERY_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type TListDeliveries = z.infer<typeof ZListDeliveriesSchema>;

export const ZWebhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.enum(STORED_EVENT_TYPES),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** When the next attempt is due (pending deliveries only). */
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TWebhookDelivery = z.infer<typeof ZWebhookDeliverySchema>;

export const ZDeliveryPageSchema = z.object({
  data: z.array(ZWebhookDeliverySchema),
  nextCursor: z.string().nullable(),
});
export type TDeliveryPage = z.infer<typeof ZDeliveryPageSchema>;

export const ZRedeliverSchema = z.object({ deliveryId: ZIdSchema });
export const ZSendTestEventSchema = z.object({ endpointId: ZIdSchema });
