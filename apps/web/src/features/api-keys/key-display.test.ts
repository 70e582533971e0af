import { describe, expect, it } from 'vitest';
import { formatCompactCount, formatRelative } from '../../lib/format';
import { graceSeconds } from './grace-period';
import { configuredQuotas, formatDuration, isInGrace, keyDisplayName } from './key-display';
import { canCreateIn, canManageKey } from './key-permissions';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('formatRelative', () => {
  it.each([
    ['2026-03-01T11:59:30Z', 'just now'],
    ['2026-03-01T11:55:00Z', '5 minutes ago'],
    ['2026-03-01T09:00:00Z', '3 hours ago'],
    ['2026-02-28T12:00:00Z', 'yesterday'],
    ['2026-02-20T12:00:00Z', 'last week'],
    ['2026-03-04T12:00:00Z', 'in 3 days'],
  ])('%s → %s', (iso, expected) => {
    expect(formatRelative(iso, NOW)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'no grace period'],
    [3600, '1 hour'],
    [86_400, '24 hours'],
    [604_800, '7 days'],
    [90, '90 seconds'],
    [1800, '30 minutes'],
  ])('%i s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('keys after a roll', () => {
  it('shows the original name of a rolled key', () => {
    expect(keyDisplayName({ id: 'key_a', name: 'Checkout (rolled, key_a)', rolledToId: 'key_b' })).toBe(
      'Checkout',
    );
    expect(keyDisplayName({ id: 'key_a', name: 'Checkout (rolled, key_a)', rolledToId: null })).toBe(
      'Checkout (rolled, key_a)',
    );
  });

  it('knows whether the grace period is running', () => {
    expect(isInGrace({ graceEndsAt: '2026-03-02T12:00:00Z', status: 'active' }, NOW)).toBe(true);
    expect(isInGrace({ graceEndsAt: '2026-03-01T11:00:00Z', status: 'active' }, NOW)).toBe(false);
    expect(isInGrace({ graceEndsAt: '2026-03-02T12:00:00Z', status: 'revoked' }, NOW)).toBe(false);
    expect(isInGrace({ graceEndsAt: null, status: 'active' }, NOW)).toBe(false);
  });
});

describe('configuredQuotas', () => {
  it('lists the configured windows, tightest first', () => {
    expect(configuredQuotas({ total: 5, daily: null, weekly: 70, monthly: 300 })).toEqual([
      { window: 'weekly', limit: 70 },
      { window: 'monthly', limit: 300 },
      { window: 'total', limit: 5 },
    ]);
  });
});

describe('graceSeconds', () => {
  it('maps presets and validates custom amounts', () => {
    expect(graceSeconds('now', '', 'hours')).toEqual({ ok: true, seconds: 0 });
    expect(graceSeconds('24h', '', 'hours')).toEqual({ ok: true, seconds: 86_400 });
    expect(graceSeconds('custom', '12', 'hours')).toEqual({ ok: true, seconds: 43_200 });
    expect(graceSeconds('custom', '7', 'days')).toEqual({ ok: true, seconds: 604_800 });
    expect(graceSeconds('custom', '8', 'days')).toEqual({
      ok: false,
      message: 'The grace period is at most 7 days',
    });
    expect(graceSeconds('custom', '-1', 'minutes').ok).toBe(false);
  });
});

describe('permissions', () => {
  const key = { owner: { id: 'usr_dev', displayName: 'Dev', avatarColor: '#000', initials: 'D' } };
  it('lets org owners and admins and space admins manage any key', () => {
    expect(canManageKey('owner', null, key, 'usr_x')).toBe(true);
    expect(canManageKey('admin', null, key, 'usr_x')).toBe(true);
    expect(canManageKey('member', 'admin', key, 'usr_x')).toBe(true);
  });

  it('lets developers manage only their own keys, and viewers none', () => {
    expect(canManageKey('member', 'developer', key, 'usr_dev')).toBe(true);
    expect(canManageKey('member', 'developer', key, 'usr_x')).toBe(false);
    expect(canManageKey('member', 'viewer', key, 'usr_dev')).toBe(false);
    expect(canManageKey('member', null, key, 'usr_dev')).toBe(false);
  });

  it('allows creating keys in non-archived spaces for admins and developers', () => {
    expect(canCreateIn('member', { myRole: 'developer', archived: false })).toBe(true);
    expect(canCreateIn('member', { myRole: 'viewer', archived: false })).toBe(false);
    expect(canCreateIn('owner', { myRole: null, archived: false })).toBe(true);
    expect(canCreateIn('owner', { myRole: null, archived: true })).toBe(false);
  });
});

describe('formatCompactCount', () => {
  it.each([
    [950, '950'],
    [9500, '9,500'],
    [50_000, '50K'],
    [2_000_000, '2M'],
    [1_250_000, '1.3M'],
  ])('%i → %s', (value, expected) => {
    expect(formatCompactCount(value)).toBe(expected);
  });
});
