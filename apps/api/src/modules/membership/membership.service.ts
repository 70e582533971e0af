import { initialsOf } from '@keysmith/domain';
import type { OrgScope } from '../../auth/org-scope.js';
import { can } from '../../auth/policy.js';
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
 * stay invisible.
 */
export async function listMembers(em: Em, scope: OrgScope): Promise<TMember[]> {
  const memberships = await em.find(
    Membership,
    { organization: scope.orgId },
    { populate: ['user'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const spaceRoles = await em.find(
    SpaceMembership,
    { organization: scope.orgId },
    { populate: ['space'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const byUser = new Map<string, TMember['spaces']>();
  for (const sm of spaceRoles) {
    if (!can(scope.actor, 'space.read', { spaceId: sm.space.id })) continue;
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
export async function changeMemberRole(em: Em, scope: OrgScope, input: TChangeMemberRole): Promise<TMember> {
  await em.transactional(
    async (tx) => {
      await lockOrganization(tx, scope.orgId);
      const actorRole = await lockedActorRole(tx, scope);
      requireFreshRole(scope, actorRole, 'member.changeRole');
      const target = await findMemberForUpdate(tx, scope.orgId, input.userId);
      if (target.role === input.role) return;
      if (target.role === 'owner' || input.role === 'owner') {
        requireFreshRole(scope, actorRole, 'member.manageOwners', ONLY_OWNERS);
      }
      if (target.role === 'owner' && (await countOwners(tx, scope.orgId)) <= 1) {
        throw new AppError('PRECONDITION_FAILED', LAST_OWNER);
      }
      recordAudit(tx, scope.audit, {
        organizationId: scope.orgId,
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
  const member = (await listMembers(em.fork(), scope)).find((m) => m.userId === input.userId);
  if (!member) throw AppError.notFound('Member');
  return member;
}

/**
 * Takes a member out of the organization: their space roles in it go too, and since every
 * org procedure re-reads the membership, their open sessions lose access on the next call.
 */
async function removeMembership(
  tx: Em,
  scope: OrgScope,
  target: Membership,
  action: 'member.remove' | 'member.leave',
): Promise<void> {
  if (target.role === 'owner' && (await countOwners(tx, scope.orgId)) <= 1) {
    throw new AppError('PRECONDITION_FAILED', LAST_OWNER);
  }
  const spaceRoles = await tx.find(
    SpaceMembership,
    { organization: scope.orgId, user: target.user.id },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  recordAudit(tx, scope.audit, {
    organizationId: scope.orgId,
    action,
    target: { type: 'member', id: target.user.id, label: target.user.email },
    before: {
      role: target.role,
      spaceRoles: Object.fromEntries(spaceRoles.map((sm) => [sm.space.id, sm.role])),
    },
  });
  await tx.flush();
  await tx.nativeDelete(SpaceMembership, { organization: scope.orgId, user: target.user.id });
  await tx.nativeDelete(Membership, { id: target.id });
}

/** Removes another member (owners and admins; only owners remove owners; never the last owner). */
export async function removeMember(em: Em, scope: OrgScope, userId: string): Promise<void> {
  await em.transactional(
    async (tx) => {
      await lockOrganization(tx, scope.orgId);
      const actorRole = await lockedActorRole(tx, scope);
      requireFreshRole(scope, actorRole, 'member.remove');
      const target = await findMemberForUpdate(tx, scope.orgId, userId);
      if (target.role === 'owner') requireFreshRole(scope, actorRole, 'member.manageOwners', ONLY_OWNERS);
      await removeMembership(tx, scope, target, 'member.remove');
    },
    { clear: true },
  );
}

/** The caller leaves the organization; the last owner cannot. */
export async function leaveOrganization(em: Em, scope: OrgScope): Promise<void> {
  await em.transactional(
    async (tx) => {
      await lockOrganization(tx, scope.orgId);
      const self = await findMemberForUpdate(tx, scope.orgId, scope.actor.userId);
      await removeMembership(tx, scope, self, 'member.leave');
    },
    { clear: true },
  );
}
