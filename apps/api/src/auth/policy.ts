import type { TOrgRole } from '../modules/membership/membership.entity.js';
import type { TSpaceRole } from '../modules/space/space.entity.js';

/**
 * The one place that decides who may do what in the admin (§4, admin permissions).
 * Deny by default: an action missing from these tables is refused for everyone.
 */

/** Actions on the organization as a whole. */
export const ORG_ACTIONS = {
  'org.read': ['owner', 'admin', 'member'],
  'org.update': ['owner', 'admin'],
  'org.changePlan': ['owner'],
  'org.delete': ['owner'],
  'org.transferOwnership': ['owner'],
  'member.list': ['owner', 'admin', 'member'],
  /** Leaving is always one's own choice; the last-owner rule is enforced by the service. */
  'member.leave': ['owner', 'admin', 'member'],
  'member.invite': ['owner', 'admin'],
  'member.changeRole': ['owner', 'admin'],
  'member.remove': ['owner', 'admin'],
  /** Granting, taking or inviting to the `owner` role. */
  'member.manageOwners': ['owner'],
  'invitation.list': ['owner', 'admin'],
  'invitation.revoke': ['owner', 'admin'],
  'space.list': ['owner', 'admin', 'member'],
  'space.create': ['owner', 'admin'],
  'audit.read': ['owner', 'admin'],
  /** Security events, failed-auth bursts, blocked IPs. */
  'security.read': ['owner', 'admin'],
  /** Lifting an IP block (audited). */
  'security.manage': ['owner', 'admin'],
  /** Webhook endpoints and their delivery logs (§7): URLs and signing secrets are admin business. */
  'webhook.read': ['owner', 'admin'],
  /** Create, update, rotate the secret, delete, redeliver. */
  'webhook.manage': ['owner', 'admin'],
  /** The notification list; members see events of their spaces and organization-wide ones. */
  'notification.read': ['owner', 'admin', 'member'],
  /** The organization's key policy (§10): every member, so developers know the rules before creating keys. */
  'keyPolicy.read': ['owner', 'admin', 'member'],
  /** The organization's default key policy and its leak response (§10, §11). */
  'keyPolicy.manage': ['owner', 'admin'],
  /** "Report as leaked" (§11): holding the full key proves the leak, whatever the role. */
  'leak.report': ['owner', 'admin', 'member'],
} as const satisfies Record<string, readonly TOrgRole[]>;

/**
 * Actions on one space. Org owners and admins may do all of them in every space; members
 * only what their space role lists.
 */
export const SPACE_ACTIONS = {
  'space.read': ['admin', 'developer', 'viewer'],
  'space.update': ['admin'],
  /** Archive and unarchive: org owners and admins only (no space role lists it). */
  'space.archive': [],
  /** Delete (or archive when it holds keys): org owners and admins only. */
  'space.delete': [],
  'space.members.read': ['admin', 'developer', 'viewer'],
  'space.members.manage': ['admin'],
  /** The space's own key policy (§10), which may only tighten the organization's. */
  'space.keyPolicy': ['admin'],
  'key.read': ['admin', 'developer', 'viewer'],
  'key.create': ['admin', 'developer'],
  /** Update, roll, deactivate, revoke any key of the space. */
  'key.manageAny': ['admin'],
  /** The same, for keys the actor owns. */
  'key.manageOwn': ['admin', 'developer'],
  'log.read': ['admin', 'developer', 'viewer'],
} as const satisfies Record<string, readonly TSpaceRole[]>;

export type TOrgAction = keyof typeof ORG_ACTIONS;
export type TSpaceAction = keyof typeof SPACE_ACTIONS;
export type TAction = TOrgAction | TSpaceAction;

export interface Actor {
  userId: string;
  orgRole: TOrgRole;
  /** The actor's role in each space they belong to. */
  spaceRoles: ReadonlyMap<string, TSpaceRole>;
}

export interface SpaceResource {
  spaceId: string;
}

function isOrgAction(action: TAction): action is TOrgAction {
  return Object.hasOwn(ORG_ACTIONS, action);
}

/** True when the organization-wide role alone grants every space action. */
export function seesEverySpace(actor: Actor): boolean {
  return actor.orgRole === 'owner' || actor.orgRole === 'admin';
}

/** Decides one action. Space actions need the space they apply to. */
export function can(actor: Actor, action: TOrgAction): boolean;
export function can(actor: Actor, action: TSpaceAction, resource: SpaceResource): boolean;
export function can(actor: Actor, action: TAction, resource?: SpaceResource): boolean {
  if (isOrgAction(action)) {
    return (ORG_ACTIONS[action] as readonly TOrgRole[]).includes(actor.orgRole);
  }
  if (!Object.hasOwn(SPACE_ACTIONS, action) || !resource) return false;
  if (seesEverySpace(actor)) return true;
  const role = actor.spaceRoles.get(resource.spaceId);
  return role !== undefined && (SPACE_ACTIONS[action] as readonly TSpaceRole[]).includes(role);
}
