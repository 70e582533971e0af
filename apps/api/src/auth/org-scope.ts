import type { AuditActor } from '../modules/audit/audit.service.js';
import type { Actor } from './policy.js';

/**
 * Who is acting, in which organization: what a service needs for the permission checks that
 * depend on data (e.g. "only owners may demote an owner") and for the audit rows it writes.
 * Built by `orgProcedure` from the membership it has just re-read.
 */
export interface OrgScope {
  orgId: string;
  actor: Actor;
  audit: AuditActor;
}

/** The audit identity of a signed-in admin: their id, labelled with their email. */
export function userAuditActor(user: { id: string; email: string }, ip: string | null): AuditActor {
  return { type: 'user', id: user.id, label: user.email, ip };
}
