import type { OrgRole } from '../../lib/trpc';
import { orgAbilities } from '../organization/org-permissions';

/** The roles in the order menus list them, most powerful first. */
export const ORG_ROLE_ORDER: readonly OrgRole[] = ['owner', 'admin', 'member'];

export const ROLE_DESCRIPTION: Record<OrgRole, string> = {
  owner: 'Everything, including the plan, ownership and deleting the organization',
  admin: 'Members, invitations, every space and every key',
  member: 'Only the spaces they are added to, with their space role',
};

/** The end of "As an admin, Grace …": what the role lets a person do, for confirmations. */
export const ROLE_CAPABILITY: Record<OrgRole, string> = {
  owner:
    'can do everything, including changing the plan, transferring ownership and deleting the organization',
  admin: 'can manage members, invitations, every space and every key',
  member: 'can work only in the spaces they are added to, with their space role',
};

/** What the signed-in user may do to one row of the member list. */
export interface MemberRowActions {
  isSelf: boolean;
  /** Roles the caller may give this member (empty: no role menu). */
  assignableRoles: OrgRole[];
  canRemove: boolean;
  /** Why the caller cannot change this member, when they could change others (for a tooltip). */
  lockedReason: string | null;
}

interface MemberRef {
  userId: string;
  role: OrgRole;
}

/**
 * Mirrors the server's rules (docs/permissions.md): owners and admins manage members, only
 * owners grant, take or remove `owner`, and nobody acts on themselves here (they leave instead).
 */
export function memberRowActions(caller: MemberRef, target: MemberRef): MemberRowActions {
  const abilities = orgAbilities(caller.role);
  const isSelf = caller.userId === target.userId;
  const none = { isSelf, assignableRoles: [], canRemove: false };
  if (isSelf || !abilities.manageMembers) return { ...none, lockedReason: null };
  if (target.role === 'owner' && !abilities.manageOwners) {
    return { ...none, lockedReason: 'Only owners can change or remove an owner' };
  }
  const assignableRoles = ORG_ROLE_ORDER.filter((role) => role !== 'owner' || abilities.manageOwners);
  return { isSelf, assignableRoles, canRemove: true, lockedReason: null };
}

/**
 * Whether the caller may leave, and if not why: an organization always keeps an owner, so its
 * last owner must hand ownership over first.
 */
export function leaveBlockedReason(callerRole: OrgRole, ownerCount: number): string | null {
  if (callerRole === 'owner' && ownerCount <= 1) {
    return 'You are the only owner. Transfer ownership to another member in Settings, or make someone else an owner, before you leave.';
  }
  return null;
}
