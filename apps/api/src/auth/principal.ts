import type { AuditActor } from '../modules/audit/audit.service.js';
import { type Actor, can, type TSpaceAction } from './policy.js';

/**
 * Who is acting on a service call: an admin through the SPA (`user`), an API key through
 * REST §5 (`key`), or Keysmith itself (`system`: the CLI, the scheduler, and the leak response
 * of §11, which acts on a report rather than on anyone's permission). Services take a
 * principal so that tRPC, REST and the CLI share one code path and one audit trail.
 */
export type Principal =
  | { kind: 'user'; userId: string; label: string; ip: string | null; actor: Actor }
  | {
      kind: 'key';
      keyId: string;
      label: string;
      ip: string | null;
      /** The key's own space; an `admin:*` key acts across the organization. */
      spaceId: string;
      acrossSpaces: boolean;
      /** The key's scopes: it may grant only these to keys it creates, updates or rolls (§4). */
      scopes: readonly string[];
    }
  /** `ip`: where the request that made Keysmith act came from (a leak report), if any. */
  | { kind: 'system'; label: string; ip: string | null };

export function auditActorOf(principal: Principal): AuditActor {
  switch (principal.kind) {
    case 'user':
      return { type: 'user', id: principal.userId, label: principal.label, ip: principal.ip };
    case 'key':
      return { type: 'key', id: principal.keyId, label: principal.label, ip: principal.ip };
    case 'system':
      return { type: 'system', id: null, label: principal.label, ip: principal.ip };
  }
}

/** Space ids the principal may read, or `all`. */
export function readableSpaces(principal: Principal): 'all' | string[] {
  if (principal.kind === 'system') return 'all';
  if (principal.kind === 'key') return principal.acrossSpaces ? 'all' : [principal.spaceId];
  const { actor } = principal;
  if (actor.orgRole === 'owner' || actor.orgRole === 'admin') return 'all';
  return [...actor.spaceRoles.keys()];
}

/**
 * Space-level decision for any principal. Keys are authorised by their scopes at the REST
 * edge; here they are only confined to their space (or, with `admin:*`, their organization).
 */
export function principalCan(principal: Principal, action: TSpaceAction, spaceId: string): boolean {
  if (principal.kind === 'system') return true;
  if (principal.kind === 'key') return principal.acrossSpaces || principal.spaceId === spaceId;
  return can(principal.actor, action, { spaceId });
}

/** The user id that owns things this principal creates, if a user. */
export function principalUserId(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.userId : null;
}

/** The audit identity of a signed-in admin outside any organization (creating one): their id, labelled with their email. */
export function userAuditActor(user: { id: string; email: string }, ip: string | null): AuditActor {
  return { type: 'user', id: user.id, label: user.email, ip };
}
