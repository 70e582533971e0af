import type { OrgRole } from '../../lib/trpc';
import type { KeyRecord, SpaceRole, SpaceSummary } from './key-types';

/**
 * What the signed-in user may do with keys (§4), to hide what they may not. The server
 * checks every call again; this only keeps the screens honest.
 */

/** Org owners and admins act on every key of every space. */
export function managesEverything(orgRole: OrgRole): boolean {
  return orgRole === 'owner' || orgRole === 'admin';
}

/** Whether keys may be created in this space (space admins and developers; not archived). */
export function canCreateIn(orgRole: OrgRole, space: Pick<SpaceSummary, 'myRole' | 'archived'>): boolean {
  if (space.archived) return false;
  return managesEverything(orgRole) || space.myRole === 'admin' || space.myRole === 'developer';
}

/**
 * Whether the user may edit, roll, deactivate, revoke or delete this key: space admins any
 * key of the space, developers only the keys they created.
 */
export function canManageKey(
  orgRole: OrgRole,
  spaceRole: SpaceRole | null | undefined,
  key: Pick<KeyRecord, 'owner'>,
  userId: string,
): boolean {
  if (managesEverything(orgRole) || spaceRole === 'admin') return true;
  return spaceRole === 'developer' && key.owner?.id === userId;
}
