import { describe, expect, it } from 'vitest';
import {
  actionLabel,
  actionTone,
  auditDiff,
  fieldLabel,
  formatAuditValue,
  targetSection,
} from './audit-display';

describe('auditDiff', () => {
  it('lists only the fields that changed, in order', () => {
    expect(
      auditDiff(
        { name: 'Old', quotaDaily: 10, scopes: ['a'] },
        { name: 'New', quotaDaily: 10, scopes: ['a', 'b'] },
      ),
    ).toEqual([
      { field: 'name', before: 'Old', after: 'New', kind: 'changed' },
      { field: 'scopes', before: ['a'], after: ['a', 'b'], kind: 'changed' },
    ]);
  });

  it('marks a creation as added (leaving out empty fields) and a deletion as removed', () => {
    expect(auditDiff(null, { name: 'Key', expiresAt: null })).toEqual([
      { field: 'name', before: undefined, after: 'Key', kind: 'added' },
    ]);
    expect(auditDiff({ name: 'Key' }, null)).toEqual([
      { field: 'name', before: 'Key', after: undefined, kind: 'removed' },
    ]);
    expect(auditDiff({ blockedUntil: '2026-11-22T12:15:00.000Z' }, { blockedUntil: null })[0]?.kind).toBe(
      'removed',
    );
  });

  it('names nested fields by their path', () => {
    expect(
      auditDiff(
        { quotas: { daily: 10, total: null }, rateLimit: { perSecond: 5 } },
        { quotas: { daily: 20, total: null }, rateLimit: { perSecond: 5 } },
      ),
    ).toEqual([{ field: 'quotas.daily', before: 10, after: 20, kind: 'changed' }]);
    expect(fieldLabel('rateLimit.perSecond')).toBe('Rate limit › per second');
  });
});

describe('audit wording', () => {
  it('names known actions and keeps unknown codes', () => {
    expect(actionLabel('key.create')).toBe('Created API key');
    expect(actionLabel('security.ip_unblock')).toBe('Unblocked IP address');
    expect(actionLabel('billing.something')).toBe('billing.something');
    expect(actionTone('key.revoke')).toBe('danger');
    expect(actionTone('key.update')).toBe('neutral');
  });

  it('links targets that have a page', () => {
    expect(targetSection('api_key', 'key_1')).toBe('keys/key_1');
    expect(targetSection('webhook_endpoint', 'whe_1')).toBe('webhooks/whe_1');
    expect(targetSection('ip', null)).toBeNull();
    expect(targetSection('organization', 'org_1')).toBeNull();
  });

  it('formats values and field names', () => {
    expect(formatAuditValue(null)).toBe('—');
    expect(formatAuditValue(['orders:read', 'orders:write'])).toBe('orders:read, orders:write');
    expect(formatAuditValue([])).toBe('(none)');
    expect(formatAuditValue({ perSecond: 5 })).toBe('{"perSecond":5}');
    expect(fieldLabel('quotaDaily')).toBe('Quota daily');
    expect(fieldLabel('ip_allowlist')).toBe('IP allowlist');
    expect(fieldLabel('rolledToId')).toBe('Rolled to ID');
  });
});
