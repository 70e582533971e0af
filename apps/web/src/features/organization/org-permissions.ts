import type { OrgRole } from '../../lib/trpc';

/**
 * What an organization role may do in the admin (§4, docs/permissions.md `ORG_ACTIONS`), so
 * the screens hide what the user may not do. The server decides every call again; this only
 * keeps the screens honest.
 */
export interface OrgAbilities {
  /** Rename, change the slug or the key prefix. */
  updateOrganization: boolean;
  changePlan: boolean;
  deleteOrganization: boolean;
  transferOwnership: boolean;
  /** Invite, change roles and remove members (not owners: see `manageOwners`). */
  manageMembers: boolean;
  /** Grant, take or invite the `owner` role; change or remove an owner. */
  manageOwners: boolean;
  /** See and revoke invitations. */
  manageInvitations: boolean;
  /** Create spaces; see, archive, delete and unarchive every space. */
  manageSpaces: boolean;
}

const OWNER: OrgAbilities = {
  updateOrganization: true,
  changePlan: true,
  deleteOrganization: true,
  transferOwnership: true,
  manageMembers: true,
  manageOwners: true,
  manageInvitations: true,
  manageSpaces: true,
};

const ABILITIES: Record<OrgRole, OrgAbilities> = {
  owner: OWNER,
  admin: {
    ...OWNER,
    changePlan: false,
    deleteOrganization: false,
    transferOwnership: false,
    manageOwners: false,
  },
  member: {
    updateOrganization: false,
    changePlan: false,
    deleteOrganization: false,
    transferOwnership: false,
    manageMembers: false,
    manageOwners: false,
    manageInvitations: false,
    manageSpaces: false,
  },
};

export function orgAbilities(role: OrgRole): OrgAbilities {
  return ABILITIES[role];
}
