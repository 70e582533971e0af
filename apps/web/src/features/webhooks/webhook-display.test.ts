import { describe, expect, it } from 'vitest';
import { displayUrl, validateWebhookForm, WEBHOOK_EVENT_TYPES } from './webhook-display';

describe('webhook display', () => {
  it('lists the §7 event types in the API order', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
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
    ]);
  });

  it('shortens URLs for lists', () => {
    expect(displayUrl('https://hooks.example.com/keysmith')).toBe('hooks.example.com/keysmith');
  });

  it('asks for a URL and at least one event', () => {
    expect(validateWebhookForm({ url: '', events: [] })).toEqual({
      url: 'Enter the URL that receives the events',
      events: 'Choose at least one event',
    });
    expect(validateWebhookForm({ url: 'hooks.example.com', events: ['key.expired'] }).url).toBe(
      'Enter a full URL, e.g. https://example.com/webhooks/keysmith',
    );
    expect(validateWebhookForm({ url: 'ftp://x.example', events: ['key.expired'] }).url).toBe(
      'Webhook URLs must use https',
    );
    expect(validateWebhookForm({ url: 'https://x.example/hook', events: ['key.expired'] })).toEqual({});
  });
});
