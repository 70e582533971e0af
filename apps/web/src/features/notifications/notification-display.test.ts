import { describe, expect, it } from 'vitest';
import { describeNotification } from './notification-display';
import { countUnread, newestTime } from './notification-seen';

describe('describeNotification', () => {
  it('names the key and the window of a quota event, with a link to the key', () => {
    expect(
      describeNotification({
        type: 'key.quota_exceeded',
        data: { key_id: 'key_1', key_name: 'Quota probe', window: 'daily', limit: 3 },
      }),
    ).toEqual({
      title: 'Quota probe ran out of its daily quota',
      detail: 'All 3 credits are used; requests are refused until credits free up.',
      tone: 'warning',
      section: 'keys/key_1',
    });
  });

  it('dates expiry notices and explains revocations', () => {
    expect(
      describeNotification(
        {
          type: 'key.expiring',
          data: { key_id: 'key_1', key_name: 'Checkout', expires_at: '2026-12-22T08:00:00Z' },
        },
        'UTC',
      ).title,
    ).toBe('Checkout expires on Dec 22, 2026');
    expect(
      describeNotification({
        type: 'key.revoked',
        data: { key_id: 'key_1', key_name: 'Old', reason: 'roll_grace_ended' },
      }).detail,
    ).toBe('The grace period of its roll ended; the replacement key carries on.');
  });

  it('sends IP blocks to the security screen', () => {
    const view = describeNotification(
      {
        type: 'ip.blocked',
        data: {
          ip: '198.51.100.7',
          failures: 20,
          window_minutes: 5,
          until: '2026-11-22T12:15:00Z',
          key_id: null,
        },
      },
      'UTC',
    );
    expect(view.title).toBe('198.51.100.7 was blocked');
    expect(view.detail).toBe('20 failed attempts in 5 minutes; blocked until 12:15 PM.');
    expect(view.section).toBe('security?tab=blocked');
  });
});

describe('key policy and leak notifications', () => {
  it('says why a key was deactivated or is due for rotation', () => {
    expect(
      describeNotification({
        type: 'key.idle_deactivated',
        data: { key_id: 'key_1', key_name: 'Batch job', idle_deactivate_days: 90 },
      }),
    ).toEqual({
      title: 'Batch job was deactivated: unused for 90 days',
      detail: 'Your key policy deactivates idle keys. Reactivate it if it is still needed.',
      tone: 'warning',
      section: 'keys/key_1',
    });
    expect(
      describeNotification({
        type: 'key.rotation_due',
        data: { key_id: 'key_1', key_name: 'CI', age_days: 91 },
      }).detail,
    ).toBe(
      "It is 91 days old, older than your key policy's rotation period. Roll it to issue a replacement.",
    );
  });

  it('says where a leaked key was found and what was done', () => {
    const leaked = describeNotification({
      type: 'key.leaked',
      data: {
        key_id: 'key_1',
        key_name: 'Deploy',
        url: 'https://github.com/o/r/blob/x/.env',
        action: 'revoked',
      },
    });
    expect(leaked).toEqual({
      title: 'Deploy was found in public',
      detail: 'Found at https://github.com/o/r/blob/x/.env. It was revoked.',
      tone: 'danger',
      section: 'keys/key_1',
    });
    expect(
      describeNotification({ type: 'key.leaked', data: { key_id: 'key_1', action: 'none' } }).detail,
    ).toBe('It still works: revoke or roll it now.');
    expect(
      describeNotification({ type: 'key.revoked', data: { key_id: 'key_1', reason: 'leaked' } }).detail,
    ).toBe('Found in public and revoked by your leak policy.');
  });
});

describe('unread notifications', () => {
  const items = [{ createdAt: '2026-11-22T12:00:00.000Z' }, { createdAt: '2026-11-22T11:00:00.000Z' }];

  it('counts everything when nothing was seen, and only newer events after', () => {
    expect(countUnread(items, null)).toBe(2);
    expect(countUnread(items, Date.parse('2026-11-22T11:00:00.000Z'))).toBe(1);
    expect(countUnread(items, Date.parse('2026-11-22T12:00:00.000Z'))).toBe(0);
  });

  it('finds the newest event time', () => {
    expect(newestTime(items)).toBe(Date.parse('2026-11-22T12:00:00.000Z'));
    expect(newestTime([])).toBeNull();
  });
});
