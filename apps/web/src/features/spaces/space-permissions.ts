import type { OrgRole, RouterOutputs } from '../../lib/trpc';

export type Space = RouterOutputs['space']['list'][number];
export type SpaceRole = NonNullable<Space['myRole']>;
export type SpaceMember = RouterOutputs['space']['members']['list'][number];

export const SPACE_ROLE_ORDER: readonly SpaceRole[] = ['admin', 'developer', 'viewer'];

export const SPACE_ROLE_LABEL: Record<SpaceRole, string> = {
  admin: 'Admin',
  developer: 'Developer',
  viewer: 'Viewer',
};

export const SPACE_ROLE_DESCRIPTION: Record<SpaceRole, string> = {
  admin: 'Space settings, members and every key of the space',
  developer: 'Creates keys and manages their own; reads all keys and logs',
  viewer: 'Reads keys (never secrets) and logs',
};

/** What the signed-in user may do with one space (§4; docs/permissions.md `SPACE_ACTIONS`). */
export interface SpaceAbilities {
  /** Name, logo and scope catalog (not while archived). */
  update: boolean;
  /** Add, change and remove space members (not while archived). */
  manageMembers: boolean;
  /** Delete an empty space, archive one with keys. */
  delete: boolean;
  unarchive: boolean;
}

export function spaceAbilities(orgRole: OrgRole, space: Pick<Space, 'myRole' | 'archived'>): SpaceAbilities {
  const orgWide = orgRole === 'owner' || orgRole === 'admin';
  const spaceAdmin = orgWide || space.myRole === 'admin';
  return {
    update: spaceAdmin && !space.archived,
    manageMembers: spaceAdmin && !space.archived,
    delete: orgWide && !space.archived,
    unarchive: orgWide && space.archived,
  };
}

/** Active spaces first, then archived ones; by name within each. */
export function sortSpaces(spaces: readonly Space[]): Space[] {
  return [...spaces].sort((a, b) => {
    if (a.archived !== b.archived) return a.archived ? 1 : -1;
    return a.name.localeCompare(b.name);
  });
}
