import { slugify } from '@keysmith/domain';
import { can } from '../../auth/policy.js';
import { actorOf, auditOf, authorize, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError, isUniqueViolation } from '../../errors.js';
import { ApiKey } from '../api-key/api-key.entity.js';
import type { KeyChangePublisher } from '../api-key/key-changes.js';
import { type AuditActor, changedFields, recordAudit } from '../audit/audit.service.js';
import { Membership, type TOrgRole } from '../membership/membership.entity.js';
import { RequestLog } from '../request-log/request-log.entity.js';
import { UsageBucket } from '../usage/usage-bucket.entity.js';
import { Organization, type TPlan } from './organization.entity.js';
import type { TCreateOrganization, TOrganization, TUpdateOrganization } from './organization.schemas.js';

export function toOrganizationDto(org: Organization, role: TOrgRole): TOrganization {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    plan: org.plan,
    keyPrefix: org.keyPrefix,
    role,
    createdAt: org.createdAt,
  };
}

const SLUG_TAKEN = 'This slug is already taken';
const FORBIDDEN = 'You do not have permission to do this';

/** The audit target for an organization. */
function orgTarget(org: Organization): { type: string; id: string; label: string } {
  return { type: 'organization', id: org.id, label: org.name };
}

/**
 * Locks the organization row until the transaction ends. Every transaction that changes
 * who is an owner (role changes, removals, leaving, transfers, invitations being accepted)
 * takes this lock first, so they run one after another per organization and the
 * "at least one owner" check always counts committed owners. Throws NOT_FOUND when the
 * organization is gone (deleted meanwhile).
 */
export async function lockOrganization(tx: Em, orgId: string): Promise<void> {
  const rows = await tx.execute('select "id" from "organizations" where "id" = ? for update', [orgId]);
  if (rows.length === 0) throw AppError.notFound('Organization');
}

/**
 * Re-reads the actor's role inside a locked transaction (`tx`). `orgProcedure` read it before
 * the lock, and a concurrent transaction may have changed it since (e.g. two owners demoting
 * each other): decisions about owners must use this fresh role.
 */
export async function lockedActorRole(tx: Em, ctx: ServiceContext): Promise<TOrgRole> {
  const membership = await tx.findOne(Membership, {
    organization: ctx.organizationId,
    user: actorOf(ctx).userId,
  });
  if (!membership) throw AppError.notFound('Organization');
  return membership.role;
}

/** Refuses unless the freshly read role still allows the organization-wide action. */
export function requireFreshRole(
  ctx: ServiceContext,
  role: TOrgRole,
  action: 'member.changeRole' | 'member.remove' | 'member.manageOwners' | 'org.transferOwnership',
  message = FORBIDDEN,
): void {
  if (!can({ ...actorOf(ctx), orgRole: role }, action)) throw new AppError('FORBIDDEN', message);
}

/** How many owners the organization has; call only with the organization locked. */
export function countOwners(tx: Em, orgId: string): Promise<number> {
  return tx.count(Membership, { organization: orgId, role: 'owner' });
}

export const LAST_OWNER =
  'An organization must keep at least one owner. Make another member owner first, or delete the organization.';

async function findOrganization(em: Em, orgId: string): Promise<Organization> {
  const org = await em.findOne(Organization, { id: orgId });
  if (!org) throw AppError.notFound('Organization');
  return org;
}

/**
 * Creates an organization with the caller as its owner, in one transaction. A slug derived
 * from the name gets a short suffix when taken; a slug the user typed is never altered.
 */
export async function createOrganization(
  em: Em,
  userId: string,
  input: TCreateOrganization,
  audit: AuditActor,
): Promise<TOrganization> {
  const chosen = input.slug;
  const derived = slugify(input.name);
  const base = chosen ?? (derived.length >= 2 ? derived : 'org');
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 40)}-${newId('org').slice(-6).toLowerCase()}`;
    try {
      return await em.transactional(
        async (tx) => {
          const org = tx.create(Organization, { id: newId('org'), name: input.name, slug });
          tx.create(Membership, { id: newId('mem'), organization: org, user: userId, role: 'owner' });
          recordAudit(tx, audit, {
            organizationId: org.id,
            action: 'organization.create',
            target: orgTarget(org),
            after: { name: org.name, slug: org.slug, plan: org.plan, keyPrefix: org.keyPrefix },
          });
          await tx.flush();
          return toOrganizationDto(org, 'owner');
        },
        { clear: true },
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (chosen) throw AppError.field('CONFLICT', 'slug', SLUG_TAKEN);
    }
  }
  throw AppError.field('CONFLICT', 'slug', SLUG_TAKEN);
}

/** The organizations the user belongs to, with their role in each, oldest first. */
export async function listMyOrganizations(em: Em, userId: string): Promise<TOrganization[]> {
  const memberships = await em.find(
    Membership,
    { user: userId },
    { populate: ['organization'], orderBy: { createdAt: 'asc' } },
  );
  return memberships.map((m) => toOrganizationDto(m.organization, m.role));
}

/** The organization with the caller's role in it; every member may read it. */
export async function getOrganization(ctx: ServiceContext): Promise<TOrganization> {
  authorize(ctx, 'org.read');
  const { orgRole } = actorOf(ctx);
  return toOrganizationDto(await findOrganization(ctx.em, ctx.organizationId), orgRole);
}

/**
 * Renames the organization, changes its slug or key prefix. A new prefix applies to keys
 * created afterwards; existing keys keep the prefix they were issued with. Owners and admins.
 */
export async function updateOrganization(
  ctx: ServiceContext,
  input: TUpdateOrganization,
): Promise<TOrganization> {
  authorize(ctx, 'org.update');
  const { orgRole } = actorOf(ctx);
  try {
    return await ctx.em.transactional(
      async (tx) => {
        const org = await findOrganization(tx, ctx.organizationId);
        const before = { name: org.name, slug: org.slug, keyPrefix: org.keyPrefix };
        if (input.name !== undefined) org.name = input.name;
        if (input.slug !== undefined) org.slug = input.slug;
        if (input.keyPrefix !== undefined) org.keyPrefix = input.keyPrefix;
        const diff = changedFields(before, { name: org.name, slug: org.slug, keyPrefix: org.keyPrefix });
        if (diff) {
          recordAudit(tx, auditOf(ctx), {
            organizationId: org.id,
            action: 'organization.update',
            target: orgTarget(org),
            ...diff,
          });
        }
        await tx.flush();
        return toOrganizationDto(org, orgRole);
      },
      { clear: true },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw AppError.field('CONFLICT', 'slug', SLUG_TAKEN);
    throw error;
  }
}

/** Switches the plan (§3 plan table); there is no payment flow. Owners only. */
export async function changePlan(ctx: ServiceContext, plan: TPlan): Promise<TOrganization> {
  authorize(ctx, 'org.changePlan');
  const { orgRole } = actorOf(ctx);
  return ctx.em.transactional(
    async (tx) => {
      const org = await findOrganization(tx, ctx.organizationId);
      if (org.plan !== plan) {
        recordAudit(tx, auditOf(ctx), {
          organizationId: org.id,
          action: 'organization.plan_change',
          target: orgTarget(org),
          before: { plan: org.plan },
          after: { plan },
        });
        org.plan = plan;
      }
      await tx.flush();
      return toOrganizationDto(org, orgRole);
    },
    { clear: true },
  );
}

/**
 * Deletes the organization and everything it owns (memberships, invitations, spaces, keys by
 * foreign-key cascade; request logs and usage counters explicitly). Its audit rows are kept,
 * ending with the `organization.delete` row written in the same transaction. After the
 * commit every deleted key is announced to the verification caches, so none keeps working.
 * Owners only.
 */
export async function deleteOrganization(
  ctx: ServiceContext,
  confirmSlug: string,
  keyChanges: KeyChangePublisher,
): Promise<void> {
  authorize(ctx, 'org.delete');
  const deletedKeyIds = await ctx.em.transactional(
    async (tx) => {
      await lockOrganization(tx, ctx.organizationId);
      const org = await findOrganization(tx, ctx.organizationId);
      if (confirmSlug !== org.slug) {
        throw AppError.field(
          'BAD_REQUEST',
          'confirmSlug',
          `Type the organization's slug (${org.slug}) to confirm`,
        );
      }
      recordAudit(tx, auditOf(ctx), {
        organizationId: org.id,
        action: 'organization.delete',
        target: orgTarget(org),
        before: { name: org.name, slug: org.slug, plan: org.plan, keyPrefix: org.keyPrefix },
      });
      await tx.flush();
      const keys = await tx.find(ApiKey, { organization: org.id }, { fields: ['id'] });
      await tx.nativeDelete(RequestLog, { organizationId: org.id });
      await tx.nativeDelete(UsageBucket, { organizationId: org.id });
      await tx.nativeDelete(Organization, { id: org.id });
      return keys.map((k) => k.id);
    },
    { clear: true },
  );
  for (const keyId of deletedKeyIds) keyChanges.publish(ctx.organizationId, keyId);
}

/**
 * Makes another member owner and the caller admin, atomically and under the organization
 * lock, so the organization is never without an owner. Owners only.
 */
export async function transferOwnership(ctx: ServiceContext, targetUserId: string): Promise<TOrganization> {
  authorize(ctx, 'org.transferOwnership');
  const { userId } = actorOf(ctx);
  if (targetUserId === userId) {
    throw AppError.field('BAD_REQUEST', 'userId', 'Choose another member to transfer ownership to');
  }
  return ctx.em.transactional(
    async (tx) => {
      await lockOrganization(tx, ctx.organizationId);
      const actorRole = await lockedActorRole(tx, ctx);
      requireFreshRole(ctx, actorRole, 'org.transferOwnership');
      const caller = await tx.findOne(Membership, { organization: ctx.organizationId, user: userId });
      const target = await tx.findOne(
        Membership,
        { organization: ctx.organizationId, user: targetUserId },
        { populate: ['user'] },
      );
      if (!caller || !target) throw AppError.notFound('Member');
      const org = await findOrganization(tx, ctx.organizationId);
      recordAudit(tx, auditOf(ctx), {
        organizationId: org.id,
        action: 'organization.ownership_transfer',
        target: { type: 'member', id: target.user.id, label: target.user.email },
        before: { previousOwnerRole: caller.role, newOwnerRole: target.role },
        after: { previousOwnerRole: 'admin', newOwnerRole: 'owner' },
      });
      target.role = 'owner';
      caller.role = 'admin';
      await tx.flush();
      return toOrganizationDto(org, 'admin');
    },
    { clear: true },
  );
}
