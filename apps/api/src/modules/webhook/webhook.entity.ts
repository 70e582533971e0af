import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../../db/entity-fields.js';
import { Event } from '../event/event.entity.js';
import { Organization } from '../organization/organization.entity.js';

/**
 * A URL an organization wants events delivered to. The signing secret is needed to sign
 * every delivery, so it cannot be hashed: it is stored encrypted (AES-256-GCM, see
 * docs/decisions) and shown to the admin once, at creation.
 */
export const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  indexes: [{ name: 'webhook_endpoints_org_idx', properties: ['organization', 'createdAt'] }],
  properties: {
    id: p.string().primary().length(24),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    url: p.string().length(2048),
    description: p.string().length(256).default(''),
    /** Event types delivered to this endpoint. */
    events: p.json<string[]>(),
    secretCiphertext: p.text().hidden().lazy(),
    /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`. */
    previousSecretCiphertext: p.text().hidden().lazy().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    /** Shown in the admin to tell secrets apart (`whsec_…last4`). */
    secretHint: p.string().length(32),
    active: p.boolean().default(true),
    ...timestamps(),
  },
});

export class WebhookEndpoint extends WebhookEndpointSchema.class {}
WebhookEndpointSchema.setClass(WebhookEndpoint);

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One event to one endpoint: retried with exponential back-off until delivered or given up. */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  indexes: [
    { name: 'webhook_deliveries_due_idx', properties: ['status', 'nextAttemptAt'] },
    { name: 'webhook_deliveries_endpoint_idx', properties: ['endpoint', 'createdAt'] },
  ],
  properties: {
    id: p.string().primary().length(24),
    organizationId: p.string().length(24),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    endpoint: () => p.manyToOne(WebhookEndpoint).deleteRule('cascade'),
    status: p.enum([...DELIVERY_STATUSES]).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    lastAttemptAt: p.datetime().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.string().length(1024).nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
