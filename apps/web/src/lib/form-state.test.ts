import { describe, expect, it } from 'vitest';
import { applyChange, formErrorOf, mapByName, mapByPath, revalidate } from './form-state';

interface Values {
  spaceId: string;
  scopes: string[];
  autoRenew: boolean;
  expiresAt: Date | null;
}

const values: Values = {
  spaceId: 'a',
  scopes: ['orders:read', 'keys:verify'],
  autoRenew: false,
  expiresAt: null,
};

describe('applyChange', () => {
  it('sets typed values without touching the others', () => {
    const date = new Date('2026-05-01T00:00:00Z');
    const next = applyChange(applyChange(values, 'autoRenew', true), 'expiresAt', date);
    expect(next).toEqual({ ...values, autoRenew: true, expiresAt: date });
    expect(values.autoRenew).toBe(false);
  });

  it('derives other values from the change', () => {
    const catalogs: Record<string, string[]> = { a: ['orders:read', 'keys:verify'], b: ['keys:verify'] };
    const next = applyChange(values, 'spaceId', 'b', (v, changed, previous) => {
      expect(previous.spaceId).toBe('a');
      return changed === 'spaceId'
        ? { ...v, scopes: v.scopes.filter((s) => catalogs[v.spaceId]?.includes(s)) }
        : v;
    });
    expect(next.scopes).toEqual(['keys:verify']);
  });
});

describe('revalidate', () => {
  const current = { name: 'Taken', slug: 'Too short' };
  it('re-checks only the changed field by default, keeping the others', () => {
    expect(revalidate('field', current, {}, 'slug')).toEqual({ name: 'Taken' });
    expect(revalidate('field', current, { slug: 'Bad', name: 'Other' }, 'slug')).toEqual({
      name: 'Taken',
      slug: 'Bad',
    });
  });

  it('re-checks the whole form for cross-field rules', () => {
    const found = { autoRenew: 'Auto-renew needs an expiry date' };
    expect(revalidate<string>('form', current, found, 'expiry')).toEqual(found);
  });
});

describe('server errors', () => {
  it('maps same-name fields, others go to the alert', () => {
    const isField = (name: string): name is 'slug' => name === 'slug';
    expect(mapByName({ slug: 'Taken', orgId: 'Unknown' }, isField)).toEqual({
      errors: { slug: 'Taken' },
      other: ['Unknown'],
    });
  });

  it('maps dotted, indexed and patch paths', () => {
    const paths = {
      'rateLimit.perSecond': 'perSecond',
      scopes: 'scopes',
      expiresAt: 'expiresAt',
      ips: 'ips',
    } as const;
    const mapped = mapByPath(
      {
        'patch.rateLimit.perSecond': 'Too high',
        'scopes.1': 'Not a scope',
        'scopes.2': 'Also not',
        'ips.0': 'Bad IP',
        expiresAt: 'In the past',
        'owner.id': 'Unknown owner',
      },
      paths,
      (field, index, message) => (field === 'ips' ? `Entry ${index + 1}: ${message}` : message),
    );
    expect(mapped).toEqual({
      errors: {
        perSecond: 'Too high',
        scopes: 'Not a scope',
        ips: 'Entry 1: Bad IP',
        expiresAt: 'In the past',
      },
      other: ['Unknown owner'],
    });
  });

  it('does not repeat a field message in the alert', () => {
    expect(formErrorOf('Taken', { errors: { slug: 'Taken' }, other: [] })).toBeNull();
    expect(formErrorOf('Failed', { errors: { slug: 'Taken' }, other: [] })).toBe('Failed');
    expect(formErrorOf('Taken', { errors: { slug: 'Taken' }, other: ['Unknown'] })).toBe('Unknown');
  });
});
