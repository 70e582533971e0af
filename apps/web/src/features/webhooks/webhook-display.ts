import type { BadgeTone } from '../../components';
import type { RouterOutputs } from '../../lib/trpc';

export type WebhookEndpoint = RouterOutputs['webhook']['list'][number];
export type WebhookEventType = WebhookEndpoint['events'][number];
export type WebhookDelivery = RouterOutputs['webhook']['deliveries']['data'][number];
export type DeliveryStatus = WebhookDelivery['status'];

/** Every event type (§7) in words: the record makes a new server type a compile error here. */
export const WEBHOOK_EVENT_INFO: Record<WebhookEventType, { label: string; description: string }> = {
  'key.expiring': { label: 'Key expiring', description: '30 days before a key expires' },
  'key.expired': { label: 'Key expired', description: 'When a key passes its expiry' },
  'key.quota_exceeded': {
    label: 'Quota exceeded',
    description: 'A request is refused because a quota window is full',
  },
  'key.revoked': { label: 'Key revoked', description: 'By hand, by a roll, or when a grace period ends' },
  'key.new_ip': { label: 'New IP', description: 'A key is used from an IP it never used before' },
  'ip.blocked': { label: 'IP blocked', description: 'An IP is blocked after too many failed attempts' },
  'ip.failed_auth_burst': {
    label: 'Failed-auth burst',
    description: 'Half the failed attempts that block an IP, before it is blocked',
  },
  'key.idle_deactivated': {
    label: 'Key deactivated (idle)',
    description: 'The key policy deactivates a key unused for too long',
  },
  'key.rotation_due': {
    label: 'Rotation due',
    description: 'A key is older than the rotation period of its key policy',
  },
  'key.leaked': {
    label: 'Key leaked',
    description: 'A key was found in public and handled by your leak policy',
  },
};

/** What a delivery's event is called: a subscribable type, or the on-demand test event. */
export function deliveryEventLabel(type: WebhookDelivery['eventType']): string {
  return type === 'webhook.test' ? 'Test event' : WEBHOOK_EVENT_INFO[type].label;
}

/** The event types in the order the API lists them. */
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_INFO) as WebhookEventType[];

export const DELIVERY_STATUS_LABEL: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
};

export const DELIVERY_STATUS_TONE: Record<DeliveryStatus, BadgeTone> = {
  pending: 'info',
  delivered: 'success',
  failed: 'danger',
};

/** "https://hooks.example.com/keysmith" without the scheme, for compact lists. */
export function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, '');
}

/** The client-side check before the server's (which also resolves and vets the address). */
export function validateWebhookForm(values: { url: string; events: readonly string[] }): {
  url?: string;
  events?: string;
} {
  const errors: { url?: string; events?: string } = {};
  const url = values.url.trim();
  if (!url) errors.url = 'Enter the URL that receives the events';
  else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        errors.url = 'Webhook URLs must use https';
    } catch {
      errors.url = 'Enter a full URL, e.g. https://example.com/webhooks/keysmith';
    }
  }
  if (values.events.length === 0) errors.events = 'Choose at least one event';
  return errors;
}
