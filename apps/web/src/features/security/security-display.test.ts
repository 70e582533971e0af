import { describe, expect, it } from 'vitest';
import { describeSecurityEvent, hitBuckets, parseSecurityTab } from './security-display';

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

describe('failed_auth events', () => {
  it('say how many attempts, from where, in how long', () => {
    expect(
      describeSecurityEvent({
        ...base,
        kind: 'failed_auth',
        details: { failures: 12, window_minutes: 5, codes: { INVALID: 12 } },
      }),
    ).toEqual({ title: '12 failed attempts from 203.0.113.7 in 5 minutes', tone: 'danger' });
    expect(describeSecurityEvent({ ...base, kind: 'failed_auth' }).title).toBe(
      'Failed authentication from 203.0.113.7',
    );
  });
});

describe('hitBuckets', () => {
  const HOUR = 3_600_000;
  const from = Date.UTC(2026, 11, 5, 10, 30);

  it('covers the period in aligned buckets, with the hits where the series has them', () => {
    const buckets = hitBuckets(
      [
        { at: new Date(Date.UTC(2026, 11, 5, 12)).toISOString(), rateLimited: 3, quotaExceeded: 1 },
        { at: new Date(Date.UTC(2026, 11, 5, 10)).toISOString(), rateLimited: 0, quotaExceeded: 2 },
      ],
      from,
      from + 4 * HOUR,
      HOUR,
    );
    expect(buckets.map((b) => new Date(b.start).getUTCHours())).toEqual([10, 11, 12, 13, 14]);
    expect(buckets.map((b) => [b.rateLimited, b.quotaExceeded])).toEqual([
      [0, 2],
      [0, 0],
      [3, 1],
      [0, 0],
      [0, 0],
    ]);
  });

  it('ignores points outside the period and bounds the number of buckets', () => {
    const outside = { at: new Date(from - 5 * HOUR).toISOString(), rateLimited: 9, quotaExceeded: 9 };
    expect(hitBuckets([outside], from, from + HOUR, HOUR).every((b) => b.rateLimited === 0)).toBe(true);
    expect(hitBuckets([], 0, 10_000 * HOUR, HOUR)).toHaveLength(800);
  });
});
