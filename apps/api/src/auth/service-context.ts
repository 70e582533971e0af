import type { Em } from '../db/orm.js';
import { AppError } from '../errors.js';
import type { AuditActor } from '../modules/audit/audit.service.js';
import { type Actor, can, type TOrgAction, type TSpaceAction } from './policy.js';
import { auditActorOf, type Principal, principalCan } from './principal.js';

/**
 * The one shape every tenant service takes: which organization, who acts, on which
 * EntityManager, at what instant. tRPC (`orgProcedure`), REST (the key's request) and the CLI
 * each build one and call the same services, and the services decide permissions with it
 * ({@link authorize}, {@link authorizeSpace}), so no entry point can forget a check.
 */
export interface ServiceContext {
  em: Em;
  organizationId: string;
  principal: Principal;
  /** The request's instant; tests pin it. */
  now: Date;
}

/** The same context on another EntityManager (a transaction's). */
export function onEm(ctx: ServiceContext, em: Em): ServiceContext {
  return { ...ctx, em };
}

const FORBIDDEN = 'You do not have permission to do this';

/**
 * Refuses with FORBIDDEN unless the principal may take the organization-wide action.
 * API keys hold no organization action (deny by default: they act only through the key
 * services, confined to their space); Keysmith itself (`system`) holds every one.
 */
export function authorize(ctx: ServiceContext, action: TOrgAction): void {
  const { principal } = ctx;
  const allowed = principal.kind === 'system' || (principal.kind === 'user' && can(principal.actor, action));
  if (!allowed) throw new AppError('FORBIDDEN', FORBIDDEN);
}

/**
 * Refuses a space action. A principal who cannot even read the space gets NOT_FOUND, so
 * spaces they do not belong to stay invisible; one who can read but not act gets FORBIDDEN.
 */
export function authorizeSpace(ctx: ServiceContext, action: TSpaceAction, spaceId: string): void {
  if (principalCan(ctx.principal, action, spaceId)) return;
  if (!principalCan(ctx.principal, 'space.read', spaceId)) throw AppError.notFound('Space');
  throw new AppError('FORBIDDEN', FORBIDDEN);
}

/**
 * The acting admin's roles, for the rules that depend on data ("only owners may demote an
 * owner"). Organization administration is for signed-in admins only: any other principal
 * is refused here, after {@link authorize} has let only users and `system` through.
 */
export function actorOf(ctx: ServiceContext): Actor {
  if (ctx.principal.kind !== 'user') throw new AppError('FORBIDDEN', FORBIDDEN);
  return ctx.principal.actor;
}

/** Who the audit rows written on this context name. */
export function auditOf(ctx: ServiceContext): AuditActor {
  return auditActorOf(ctx.principal);
}
