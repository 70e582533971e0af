import { describe, expect, it } from 'vitest';
import { orgAbilities } from './org-permissions';

describe('orgAbilities', () => {
  it('gives owners everything', () => {
    expect(Object.values(orgAbilities('owner')).every(Boolean)).toBe(true);
  });

  it('lets admins run the organization but not its plan, ownership or existence', () => {
    const admin = orgAbilities('admin');
    expect(admin).toMatchObject({
      updateOrganization: true,
      manageMembers: true,
      manageInvitations: true,
      manageSpaces: true,
      changePlan: false,
      deleteOrganization: false,
      transferOwnership: false,
      manageOwners: false,
    });
  });

  it('gives members nothing organization-wide', () => {
    expect(Object.values(orgAbilities('member')).some(Boolean)).toBe(false);
  });
});
