import { initialsOf } from '@keysmith/domain';
import { principalCan } from '../../auth/principal.js';
import { actorOf, auditOf, authorize, onEm, type ServiceContext } from '../../auth/service-context.js';
import type { Em } from '../../db/orm.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  countOwners,
  LAST_OWNER,
  lockedActorRole,
  lockOrganization,
  requireFreshRole,
} from '../organization/organization.service.js';
import { SpaceMembership } from '../space/space.entity.js';
import { Membership } from './membership.entity.js';
import type { TChangeMemberRole, TMember } from './membership.schemas.js';

const ONLY_OWNERS = 'Only owners can grant or take the owner role';

const ROLE_RANK: Record<string, number> = { owner: 0, admin: 1, member: 2 };

/** Owners first, then admins, then members; within a role, earliest joined first. */
function byRoleThenJoined(a: Membership, b: Membership): number {
  return (
    (ROLE_RANK[a.role] ?? 3) - (ROLE_RANK[b.role] ?? 3) ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    a.user.displayName.localeCompare(b.user.displayName)
  );
}

/**
 * The organization's members (owners, then admins, then members) with their space roles.
 * A plain member sees only the space roles of spaces they belong to themselves: other spaces
 * stay invisible. Every member may list.
 */
export async function listMembers(ctx: ServiceContext): Promise<TMember[]> {
  authorize(ctx, 'member.list');
  return readMembers(ctx);
}

/** {@link listMembers} without the permission check, for services that have made theirs. */
async function readMembers(ctx: ServiceContext): Promise<TMember[]> {
  const { em } = ctx;
  const memberships = await em.find(
    Membership,
    { organization: ctx.organizationId },
    { populate: ['user'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const spaceRoles = await em.find(
    SpaceMembership,
    { organization: ctx.organizationId },
    { populate: ['space'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const byUser = new Map<string, TMember['spaces']>();
  for (const sm of spaceRoles) {
    if (!principalCan(ctx.principal, 'space.read', sm.space.id)) continue;
    const list = byUser.get(sm.user.id) ?? [];
    list.push({ spaceId: sm.space.id, spaceName: sm.space.name, spaceSlug: sm.space.slug, role: sm.role });
    byUser.set(sm.user.id, list);
  }
  return memberships.sort(byRoleThenJoined).map((m) => ({
    userId: m.user.id,
    email: m.user.email,
    displayName: m.user.displayName,
    initials: initialsOf(m.user.displayName),
    avatarColor: m.user.avatarColor,
    role: m.role,
    joinedAt: m.createdAt,
    spaces: byUser.get(m.user.id) ?? [],
  }));
}

async function findMemberForUpdate(tx: Em, orgId: string, userId: string): Promise<Membership> {
  const membership = await tx.findOne(
    Membership,
    { organization: orgId, user: userId },
    { populate: ['user'] },
  );
  if (!membership) throw AppError.notFound('Member');
  return membership;
}

/**
 * Changes a member's organization role. Owners and admins may change roles; only owners may
 * grant or take `owner`; the last owner cannot be demoted. Runs under the organization lock
 * with the caller's role re-read, so concurrent demotions cannot leave the organization
 * without an owner.
 */
export async function changeMemberRole(ctx: ServiceContext, input: TChangeMemberRole): Promise<TMember> {
  authorize(ctx, 'member.changeRole');
  await ctx.em.transactional(
    async (tx) => {
      await lockOrganization(tx, ctx.organizationId);
      const actorRole = await lockedActorRole(tx, ctx);
      requireFreshRole(ctx, actorRole, 'member.changeRole');
      const target = await findMemberForUpdate(tx, ctx.organizationId, input.userId);
      if (target.role === input.role) return;
      if (target.role === 'owner' || input.role === 'owner') {
        requireFreshRole(ctx, actorRole, 'member.manageOwners', ONLY_OWNERS);
      }
      if (target.role === 'owner' && (await countOwners(tx, ctx.organizationId)) <= 1) {
        throw new AppError('PRECONDITION_FAILED', LAST_OWNER);
      }
      recordAudit(tx, auditOf(ctx), {
        organizationId: ctx.organizationId,
        action: 'member.role_change',
        target: { type: 'member', id: target.user.id, label: target.user.email },
        before: { role: target.role },
        after: { role: input.role },
      });
      target.role = input.role;
      await tx.flush();
    },
    { clear: true },
  );
  const member = (await readMembers(onEm(ctx, ctx.em.fork()))).find((m) => m.userId === input.userId);
  if (!member) throw AppError.notFound('Member');
  return member;
}

/**
 * Takes a member out of the organization: their space roles in it go too, and since every
 * org procedure re-reads the membership, their open sessions lose access on the next call.
 */
async function removeMembership(
  ctx: ServiceContext,
  target: Membership,
  action: 'member.remove' | 'member.leave',
): Promise<void> {
  const tx = ctx.em;
  if (target.role === 'owner' && (await countOwners(tx, ctx.organizationId)) <= 1) {
    throw new AppError('PRECONDITION_FAILED', LAST_OWNER);
  }
  const spaceRoles = await tx.find(
    SpaceMembership,
    { organization: ctx.organizationId, user: target.user.id },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  recordAudit(tx, auditOf(ctx), {
    organizationId: ctx.organizationId,
    action,
    target: { type: 'member', id: target.user.id, label: target.user.email },
    before: {
      role: target.role,
      spaceRoles: Object.fromEntries(spaceRoles.map((sm) => [sm.space.id, sm.role])),
    },
  });
  await tx.flush();
  await tx.nativeDelete(SpaceMembership, { organization: ctx.organizationId, user: target.user.id });
  await tx.nativeDelete(Membership, { id: target.id });
}

/** Removes another member (owners and admins; only owners remove owners; never the last owner). */
export async function removeMember(ctx: ServiceContext, userId: string): Promise<void> {
  authorize(ctx, 'member.remove');
  await ctx.em.transactional(
    async (tx) => {
      await lockOrganization(tx, ctx.organizationId);
      const actorRole = await lockedActorRole(tx, ctx);
      requireFreshRole(ctx, actorRole, 'member.remove');
      const target = await findMemberForUpdate(tx, ctx.organizationId, userId);
      if (target.role === 'owner') requireFreshRole(ctx, actorRole, 'member.manageOwners', ONLY_OWNERS);
      await removeMembership(onEm(ctx, tx), target, 'member.remove');
    },
    { clear: true },
  );
}

/** The caller leaves the organization; the last owner cannot. Every member may leave. */
export async function leaveOrganization(ctx: ServiceContext): Promise<void> {
  authorize(ctx, 'member.leave');
  const { userId } = actorOf(ctx);
  await ctx.em.transactional(
    async (tx) => {
      await lockOrganization(tx, ctx.organizationId);
      const self = await findMemberForUpdate(tx, ctx.organizationId, userId);
      await removeMembership(onEm(ctx, tx), self, 'member.leave');
    },
    { clear: true },
  );
}
