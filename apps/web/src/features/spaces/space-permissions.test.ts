import { describe, expect, it } from 'vitest';
import { type Space, sortSpaces, spaceAbilities } from './space-permissions';

describe('spaceAbilities', () => {
  const active = { archived: false };

  it('lets org owners and admins do everything in every space', () => {
    for (const role of ['owner', 'admin'] as const) {
      expect(spaceAbilities(role, { ...active, myRole: null })).toEqual({
        update: true,
        manageMembers: true,
        delete: true,
        unarchive: false,
      });
    }
  });

  it('lets space admins edit the space and its members, not delete it', () => {
    expect(spaceAbilities('member', { ...active, myRole: 'admin' })).toEqual({
      update: true,
      manageMembers: true,
      delete: false,
      unarchive: false,
    });
  });

  it('makes developers and viewers read-only', () => {
    for (const myRole of ['developer', 'viewer'] as const) {
      expect(Object.values(spaceAbilities('member', { ...active, myRole })).some(Boolean)).toBe(false);
    }
  });

  it('freezes an archived space until an org owner or admin unarchives it', () => {
    expect(spaceAbilities('admin', { archived: true, myRole: null })).toEqual({
      update: false,
      manageMembers: false,
      delete: false,
      unarchive: true,
    });
    expect(spaceAbilities('member', { archived: true, myRole: 'admin' }).unarchive).toBe(false);
  });
});

describe('sortSpaces', () => {
  it('lists active spaces by name, then archived ones', () => {
    const space = (name: string, archived: boolean) => ({ name, archived }) as Space;
    expect(
      sortSpaces([space('Zeta', false), space('Alpha', true), space('beta', false)]).map((s) => s.name),
    ).toEqual(['beta', 'Zeta', 'Alpha']);
  });
});
