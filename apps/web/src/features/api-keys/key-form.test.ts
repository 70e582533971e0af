import { describe, expect, it } from 'vitest';
import {
  emptyKeyForm,
  expiresAtOf,
  formFromRecord,
  type KeyFormValues,
  mapServerFieldErrors,
  toCreateInput,
  toPatch,
  validateKeyForm,
} from './key-form';
import type { KeyRecord } from './key-types';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const createContext = { mode: 'create' as const, plan: 'pro' as const, scopeCatalog: null, now: NOW };

function form(overrides: Partial<KeyFormValues> = {}): KeyFormValues {
  return { ...emptyKeyForm('spc_1'), name: 'Checkout backend', ...overrides };
}

function record(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id: 'key_7Hq2mX9aBc3dEf4G',
    name: 'Checkout backend',
    description: '',
    preview: 'sk_live_7Hq2...0Rr1',
    space: { id: 'spc_1', name: 'Payments', logoColor: '#4F46E5', logoUrl: null, initials: 'P' },
    owner: null,
    ownerKeyId: null,
    ownerKeyName: null,
    category: 'production',
    environment: 'live',
    scopes: ['orders:read'],
    status: 'active',
    active: true,
    expiresAt: null,
    revokedAt: null,
    quotas: { total: null, daily: 1000, weekly: null, monthly: null },
    rateLimit: { perSecond: null, perMinute: null },
    ipAllowlist: [],
    autoRenew: false,
    graceEndsAt: null,
    rolledToId: null,
    rolledFromId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    lastUsedAt: null,
    lastUsedIp: null,
    used: false,
    usage: { total: 0, daily: 0, weekly: 0, monthly: 0 },
    policy: { violations: [], dueForRotation: false, rotationDueAt: null, idleDeactivationAt: null },
    ...overrides,
  };
}

describe('validateKeyForm', () => {
  it('accepts a minimal form', () => {
    expect(validateKeyForm(form(), createContext)).toEqual({});
  });

  it('names every field that is wrong, in the server wording', () => {
    const errors = validateKeyForm(
      form({
        spaceId: '',
        name: '   ',
        categoryChoice: 'custom',
        customCategory: 'Not Valid',
        expiry: 'custom',
        customExpiry: '2020-01-01T10:00',
        quotaDaily: '1.5',
        quotaMonthly: '0',
        rateLimitPerSecond: '21',
        rateLimitPerMinute: 'abc',
        ipAllowlist: '10.0.0.1\n\n300.1.1.1\n10.0.0.0/8',
        autoRenew: true,
      }),
      createContext,
    );
    expect(errors).toEqual({
      spaceId: 'Choose a space',
      name: 'Enter a name',
      category: 'Use 1–32 lowercase letters, digits or dashes',
      expiresAt: 'Expiry must be in the future',
      quotaDaily: 'Enter a whole number greater than 0',
      quotaMonthly: 'Enter a whole number greater than 0',
      rateLimitPerSecond: 'At most 20 on the pro plan',
      rateLimitPerMinute: 'Enter a whole number greater than 0',
      ipAllowlist: 'Line 3: "300.1.1.1" is not an IP address or CIDR range',
      autoRenew: 'Auto-renew is available on the Enterprise plan',
    });
  });

  it('checks the name length in code points', () => {
    expect(validateKeyForm(form({ name: '🔑'.repeat(128) }), createContext).name).toBeUndefined();
    expect(validateKeyForm(form({ name: 'a'.repeat(129) }), createContext).name).toBe(
      'Name must be at most 128 characters',
    );
  });

  it('checks scopes against the catalog, wildcards included', () => {
    const context = { ...createContext, scopeCatalog: ['keys:read', 'orders:*'] };
    expect(validateKeyForm(form({ scopes: ['orders:read', 'orders:*', 'keys:verify'] }), context)).toEqual(
      {},
    );
    expect(validateKeyForm(form({ scopes: ['users:read', 'admin:*'] }), context).scopes).toBe(
      "Not in the space's scope catalog: users:read, admin:*",
    );
    expect(validateKeyForm(form({ scopes: ['Orders:Read'] }), context).scopes).toMatch(/is not a scope/);
  });

  it('allows auto-renew on enterprise only with an expiry', () => {
    const enterprise = { ...createContext, plan: 'enterprise' as const };
    expect(validateKeyForm(form({ autoRenew: true }), enterprise).autoRenew).toBe(
      'Auto-renew needs an expiry date',
    );
    expect(validateKeyForm(form({ autoRenew: true, expiry: '90d' }), enterprise)).toEqual({});
  });

  it('accepts quotas with grouping separators and the plan caps exactly', () => {
    expect(
      validateKeyForm(
        form({ quotaTotal: '1,000,000', rateLimitPerSecond: '20', rateLimitPerMinute: '300' }),
        createContext,
      ),
    ).toEqual({});
    expect(validateKeyForm(form({ quotaTotal: '2000000001' }), createContext).quotaTotal).toBe(
      'Enter at most 2,000,000,000',
    );
  });

  it('refuses more than 100 allowlist entries', () => {
    const list = Array.from({ length: 101 }, (_, i) => `10.0.0.${i % 250}`).join('\n');
    expect(validateKeyForm(form({ ipAllowlist: list }), createContext).ipAllowlist).toBe(
      'At most 100 entries',
    );
  });
});

describe('toCreateInput', () => {
  it('sends only what was filled in', () => {
    expect(toCreateInput(form(), NOW)).toEqual({
      spaceId: 'spc_1',
      name: 'Checkout backend',
      category: 'production',
      environment: 'live',
      scopes: [],
    });
  });

  it('converts every field', () => {
    const input = toCreateInput(
      form({
        name: '  Checkout backend ',
        description: ' Used by checkout ',
        categoryChoice: 'custom',
        customCategory: 'partner-api',
        environment: 'test',
        scopes: ['orders:read'],
        expiry: '30d',
        quotaDaily: '1,000',
        rateLimitPerMinute: '120',
        ipAllowlist: ' 10.0.0.0/8 \n\n192.168.1.1',
        autoRenew: true,
      }),
      NOW,
    );
    expect(input).toEqual({
      spaceId: 'spc_1',
      name: 'Checkout backend',
      description: 'Used by checkout',
      category: 'partner-api',
      environment: 'test',
      scopes: ['orders:read'],
      expiresAt: '2026-03-31T12:00:00.000Z',
      quotas: { total: null, daily: 1000, weekly: null, monthly: null },
      rateLimit: { perSecond: null, perMinute: 120 },
      ipAllowlist: ['10.0.0.0/8', '192.168.1.1'],
      autoRenew: true,
    });
  });
});

describe('expiresAtOf', () => {
  it('maps each choice', () => {
    expect(expiresAtOf({ expiry: 'never', customExpiry: '' }, NOW)).toBeNull();
    expect(expiresAtOf({ expiry: 'keep', customExpiry: '' }, NOW)).toBeUndefined();
    expect(expiresAtOf({ expiry: '90d', customExpiry: '' }, NOW)).toBe('2026-05-30T12:00:00.000Z');
    expect(expiresAtOf({ expiry: 'custom', customExpiry: '' }, NOW)).toBeUndefined();
    expect(expiresAtOf({ expiry: 'custom', customExpiry: '2026-04-01T10:30' }, NOW)).toBe(
      new Date('2026-04-01T10:30').toISOString(),
    );
  });
});

describe('toPatch', () => {
  it('is empty when nothing changed', () => {
    const key = record({ expiresAt: '2026-06-01T00:00:00.000Z', ipAllowlist: ['10.0.0.1'] });
    expect(toPatch(key, formFromRecord(key), NOW)).toEqual({});
  });

  it('sends changed fields only, clearing limits with null', () => {
    const key = record({ rateLimit: { perSecond: 5, perMinute: null } });
    const values = {
      ...formFromRecord(key),
      description: 'New description',
      quotaDaily: '',
      quotaMonthly: '50000',
      rateLimitPerSecond: '',
      scopes: ['orders:read', 'keys:verify'],
      expiry: 'never' as const,
    };
    expect(toPatch(key, values, NOW)).toEqual({
      description: 'New description',
      scopes: ['keys:verify', 'orders:read'],
      quotas: { daily: null, monthly: 50000 },
      rateLimit: null,
    });
  });

  it('round-trips a custom category', () => {
    const key = record({ category: 'partner-api' });
    const values = formFromRecord(key);
    expect(values.categoryChoice).toBe('custom');
    expect(values.customCategory).toBe('partner-api');
    expect(toPatch(key, { ...values, categoryChoice: 'staging' }, NOW)).toEqual({ category: 'staging' });
  });
});

describe('mapServerFieldErrors', () => {
  it('puts dotted and indexed paths under their fields', () => {
    expect(
      mapServerFieldErrors({
        'rateLimit.perSecond': 'At most 20 on the pro plan',
        'scopes.1': 'Scopes look like resource:action',
        'ipAllowlist.2': 'Enter an IP address or CIDR range',
        'patch.name': 'A key with this name already exists in this organization',
        'quotas.weekly': 'Must be greater than 0',
        orgId: 'Too long',
      }),
    ).toEqual({
      errors: {
        rateLimitPerSecond: 'At most 20 on the pro plan',
        scopes: 'Scopes look like resource:action',
        ipAllowlist: 'Entry 3: Enter an IP address or CIDR range',
        name: 'A key with this name already exists in this organization',
        quotaWeekly: 'Must be greater than 0',
      },
      other: ['Too long'],
    });
  });
});
