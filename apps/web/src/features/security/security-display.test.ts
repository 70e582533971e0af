import { describe, expect, it } from 'vitest';
import { describeSecurityEvent, parseSecurityTab } from './security-display';

const base = { ip: '203.0.113.7', keyId: 'key_1', keyName: 'Checkout', details: {} };

describe('describeSecurityEvent', () => {
  it('says which quota ran out', () => {
    expect(
      describeSecurityEvent({ ...base, kind: 'quota_exceeded', details: { window: 'daily', limit: 1000 } }),
    ).toEqual({ title: 'Checkout ran out of its daily quota of 1,000', tone: 'warning' });
  });

  it('falls back to the name in the details, then the id, for deleted keys', () => {
    expect(
      describeSecurityEvent({ ...base, keyName: null, kind: 'new_ip', details: { key_name: 'Old name' } })
        .title,
    ).toBe('Old name was used from a new IP, 203.0.113.7');
    expect(describeSecurityEvent({ ...base, keyName: null, kind: 'new_ip' }).title).toBe(
      'key_1 was used from a new IP, 203.0.113.7',
    );
  });

  it('describes blocks and unblocks', () => {
    expect(
      describeSecurityEvent({
        ...base,
        kind: 'ip_blocked',
        details: { failures: 20, window_minutes: 5, until: '2026-11-22T12:15:00Z' },
      }),
    ).toEqual({ title: '203.0.113.7 was blocked after 20 failed attempts in 5 minutes', tone: 'danger' });
    expect(
      describeSecurityEvent({ ...base, kind: 'ip_unblocked', details: { by: 'ada@example.com' } }),
    ).toEqual({
      title: '203.0.113.7 was unblocked by ada@example.com',
      tone: 'success',
    });
  });
});

describe('leaked keys', () => {
  it('says who reported the key and what was done', () => {
    expect(
      describeSecurityEvent({
        ...base,
        kind: 'key_leaked',
        details: { reported_by: 'secret_scanner', action: 'revoked', url: 'https://github.com/o/r' },
      }),
    ).toEqual({ title: 'Checkout was reported leaked by a secret scanner and revoked', tone: 'danger' });
    expect(
      describeSecurityEvent({
        ...base,
        kind: 'key_leaked',
        details: { reported_by: 'member', action: 'none' },
      }).title,
    ).toBe('Checkout was reported leaked by a member and not stopped');
  });
});

describe('parseSecurityTab', () => {
  it('accepts known tabs and defaults to activity', () => {
    expect(parseSecurityTab('blocked')).toBe('blocked');
    expect(parseSecurityTab('nope')).toBe('activity');
    expect(parseSecurityTab(null)).toBe('activity');
  });
});
