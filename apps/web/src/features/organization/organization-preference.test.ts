import { describe, expect, it } from 'vitest';
import { organizationPath, pickOrganization } from './organization-preference';

describe('pickOrganization', () => {
  const orgs = [{ slug: 'acme' }, { slug: 'globex' }];

  it('prefers the remembered organization', () => {
    expect(pickOrganization(orgs, 'globex')).toEqual({ slug: 'globex' });
  });

  it('falls back to the first when the remembered one is gone or unknown', () => {
    expect(pickOrganization(orgs, 'initech')).toEqual({ slug: 'acme' });
    expect(pickOrganization(orgs, null)).toEqual({ slug: 'acme' });
  });

  it('returns null without organizations', () => {
    expect(pickOrganization([], 'acme')).toBeNull();
  });
});

describe('organizationPath', () => {
  it('builds section paths', () => {
    expect(organizationPath('acme')).toBe('/o/acme');
    expect(organizationPath('acme', 'keys')).toBe('/o/acme/keys');
  });
});
