import {
  avatarColorFor,
  initialsOf,
  normalizeScopeCatalog,
  scopesOutsideCatalog,
  slugify,
} from '@keysmith/domain';
import { readableSpaces } from '../../auth/principal.js';
import { auditOf, authorize, authorizeSpace, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError, isUniqueViolation } from '../../errors.js';
import { ApiKey } from '../api-key/api-key.entity.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { Membership } from '../membership/membership.entity.js';
import { Space, SpaceMembership, type TSpaceRole } from './space.entity.js';
import type {
  TAddSpaceMember,
  TCreateSpace,
  TDeleteSpaceResult,
  TSpace,
  TSpaceMember,
  TUpdateSpace,
} from './space.schemas.js';

const SLUG_TAKEN = 'A space with this slug already exists';
const ARCHIVED = 'This space is archived and read-only; unarchive it first';

function spaceTarget(space: Space): { type: string; id: string; label: string } {
  return { type: 'space', id: space.id, label: space.name };
}

function spaceSnapshot(space: Space): Record<string, unknown> {
  return {
    name: space.name,
    slug: space.slug,
    logoColor: space.logoColor,
    logoUrl: space.logoUrl ?? null,
    scopeCatalog: space.scopeCatalog,
  };
}

/** Key and member counts per space, each from one grouped query filtered by organization. */
async function countsBySpace(
  em: Em,
  orgId: string,
  spaceIds: string[],
): Promise<{ keys: Record<string, number>; members: Record<string, number> }> {
  if (spaceIds.length === 0) return { keys: {}, members: {} };
  const [keys, members] = await Promise.all([
    em.countBy(ApiKey, 'space', { where: { organization: orgId, space: { $in: spaceIds } } }),
    em.countBy(SpaceMembership, 'space', { where: { organization: orgId, space: { $in: spaceIds } } }),
  ]);
  return { keys, members };
}

/** The caller's own role in the space: a signed-in member's, null for anyone else. */
function myRoleIn(ctx: ServiceContext, spaceId: string): TSpaceRole | null {
  return ctx.principal.kind === 'user' ? (ctx.principal.actor.spaceRoles.get(spaceId) ?? null) : null;
}

function toSpaceDto(
  space: Space,
  ctx: ServiceContext,
  counts: { keys: Record<string, number>; members: Record<string, number> },
): TSpace {
  return {
    id: space.id,
    name: space.name,
    slug: space.slug,
    logoColor: space.logoColor,
    logoUrl: space.logoUrl ?? null,
    initials: initialsOf(space.name),
    scopeCatalog: space.scopeCatalog,
    archived: space.archivedAt != null,
    archivedAt: space.archivedAt ?? null,
    keyCount: counts.keys[space.id] ?? 0,
    memberCount: counts.members[space.id] ?? 0,
    myRole: myRoleIn(ctx, space.id),
    createdAt: space.createdAt,
  };
}

async function spaceDto(ctx: ServiceContext, space: Space): Promise<TSpace> {
  return toSpaceDto(space, ctx, await countsBySpace(ctx.em, ctx.organizationId, [space.id]));
}

/** A space of the caller's organization, or NOT_FOUND (also for another organization's id). */
async function findSpace(em: Em, orgId: string, spaceId: string): Promise<Space> {
  const space = await em.findOne(Space, { id: spaceId, organization: orgId });
  if (!space) throw AppError.notFound('Space');
  return space;
}

/**
 * The spaces the caller may see, by name: every space for org owners and admins, only their
 * own for members. Archived spaces are included and flagged. Every member may list.
 */
export async function listSpaces(ctx: ServiceContext): Promise<TSpace[]> {
  authorize(ctx, 'space.list');
  const { em, organizationId } = ctx;
  const readable = readableSpaces(ctx.principal);
  const where =
    readable === 'all'
      ? { organization: organizationId }
      : { organization: organizationId, id: { $in: readable } };
  const spaces = await em.find(Space, where, { orderBy: { name: 'asc', id: 'asc' } });
  const counts = await countsBySpace(
    em,
    organizationId,
    spaces.map((s) => s.id),
  );
  return spaces.map((s) => toSpaceDto(s, ctx, counts));
}

/** One space, for anyone who may read it; others get NOT_FOUND. */
export async function getSpace(ctx: ServiceContext, spaceId: string): Promise<TSpace> {
  authorizeSpace(ctx, 'space.read', spaceId);
  return spaceDto(ctx, await findSpace(ctx.em, ctx.organizationId, spaceId));
}

/**
 * Creates a space. The catalog always holds the reserved scopes; the logo defaults to a
 * colour derived from the id. A slug derived from the name gets a suffix when taken; a slug
 * the user typed is never altered (CONFLICT on `slug`). Owners and admins.
 */
export async function createSpace(ctx: ServiceContext, input: TCreateSpace): Promise<TSpace> {
  authorize(ctx, 'space.create');
  const chosen = input.slug;
  const derived = slugify(input.name);
  const base = chosen ?? (derived.length >= 2 ? derived : 'space');
  const scopeCatalog = normalizeScopeCatalog(input.scopeCatalog ?? []);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 40)}-${newId('spc').slice(-6).toLowerCase()}`;
    try {
      const space = await ctx.em.transactional(
        async (tx) => {
          const id = newId('spc');
          const created = tx.create(Space, {
            id,
            organization: ctx.organizationId,
            name: input.name,
            slug,
            logoColor: input.logoColor ?? avatarColorFor(id),
            logoUrl: null,
            scopeCatalog,
            archivedAt: null,
          });
          recordAudit(tx, auditOf(ctx), {
            organizationId: ctx.organizationId,
            action: 'space.create',
            target: spaceTarget(created),
            after: spaceSnapshot(created),
          });
          await tx.flush();
          return created;
        },
        { clear: true },
      );
      return spaceDto(ctx, space);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (chosen) throw AppError.field('CONFLICT', 'slug', SLUG_TAKEN);
    }
  }
  throw AppError.field('CONFLICT', 'slug', SLUG_TAKEN);
}

/**
 * Scopes that live (unrevoked) keys of the space hold but `catalog` would no longer allow.
 * One query returns the distinct scopes in use, however many keys the space has.
 */
async function scopesInUseOutside(tx: Em, space: Space, catalog: string[]): Promise<string[]> {
  const rows = await tx.execute<{ scope: string }[]>(
    `select distinct jsonb_array_elements_text("scopes") as "scope" from "api_keys"
      where "organization_id" = ? and "space_id" = ? and "revoked_at" is null`,
    [space.organization.id, space.id],
  );
  return scopesOutsideCatalog(
    rows.map((r) => r.scope),
    catalog,
  );
}

/**
 * Renames the space, sets its logo or edits its scope catalog. The reserved `keys:*` scopes
 * stay whatever the input says, and a scope that live keys still hold cannot be removed.
 * Space admins and org owners/admins.
 */
export async function updateSpace(ctx: ServiceContext, input: TUpdateSpace): Promise<TSpace> {
  authorizeSpace(ctx, 'space.update', input.spaceId);
  const space = await ctx.em.transactional(
    async (tx) => {
      const found = await findSpace(tx, ctx.organizationId, input.spaceId);
      if (found.archivedAt) throw new AppError('PRECONDITION_FAILED', ARCHIVED);
      const before = spaceSnapshot(found);
      if (input.name !== undefined) found.name = input.name;
      if (input.logoColor !== undefined) found.logoColor = input.logoColor;
      if (input.logoUrl !== undefined) found.logoUrl = input.logoUrl;
      if (input.scopeCatalog !== undefined) {
        const catalog = normalizeScopeCatalog(input.scopeCatalog);
        const stranded = await scopesInUseOutside(tx, found, catalog);
        if (stranded.length > 0) {
          throw AppError.field(
            'PRECONDITION_FAILED',
            'scopeCatalog',
            `Keys of this space still hold ${stranded.map((s) => `"${s}"`).join(', ')}; remove it from those keys first`,
          );
        }
        found.scopeCatalog = catalog;
      }
      const diff = changedFields(before, spaceSnapshot(found));
      if (diff) {
        recordAudit(tx, auditOf(ctx), {
          organizationId: ctx.organizationId,
          action: 'space.update',
          target: spaceTarget(found),
          ...diff,
        });
      }
      await tx.flush();
      return found;
    },
    { clear: true },
  );
  return spaceDto(ctx, space);
}

/**
 * Deletes a space that has never had a key; a space with keys is archived instead, so key
 * history survives. The space row is locked first: a key inserted concurrently either is
 * counted (and the space archived) or fails its foreign key check after the delete.
 * Org owners and admins.
 */
export async function deleteSpace(ctx: ServiceContext, spaceId: string): Promise<TDeleteSpaceResult> {
  authorizeSpace(ctx, 'space.delete', spaceId);
  return ctx.em.transactional(
    async (tx) => {
      const locked = await tx.execute(
        'select "id" from "spaces" where "id" = ? and "organization_id" = ? for update',
        [spaceId, ctx.organizationId],
      );
      if (locked.length === 0) throw AppError.notFound('Space');
      const space = await findSpace(tx, ctx.organizationId, spaceId);
      const keyCount = await tx.count(ApiKey, { organization: ctx.organizationId, space: spaceId });
      if (keyCount === 0) {
        recordAudit(tx, auditOf(ctx), {
          organizationId: ctx.organizationId,
          action: 'space.delete',
          target: spaceTarget(space),
          before: { ...spaceSnapshot(space), archived: space.archivedAt != null },
        });
        await tx.flush();
        await tx.nativeDelete(Space, { id: space.id, organization: ctx.organizationId });
        return { id: space.id, outcome: 'deleted' as const, keyCount };
      }
      if (!space.archivedAt) {
        space.archivedAt = new Date();
        recordAudit(tx, auditOf(ctx), {
          organizationId: ctx.organizationId,
          action: 'space.archive',
          target: spaceTarget(space),
          before: { archived: false },
          after: { archived: true, keyCount },
        });
      }
      await tx.flush();
      return { id: space.id, outcome: 'archived' as const, keyCount };
    },
    { clear: true },
  );
}

/** Makes an archived space writable again; a no-op for an active one. Org owners and admins. */
export async function unarchiveSpace(ctx: ServiceContext, spaceId: string): Promise<TSpace> {
  authorizeSpace(ctx, 'space.archive', spaceId);
  const space = await ctx.em.transactional(
    async (tx) => {
      const found = await findSpace(tx, ctx.organizationId, spaceId);
      if (found.archivedAt) {
        found.archivedAt = null;
        recordAudit(tx, auditOf(ctx), {
          organizationId: ctx.organizationId,
          action: 'space.unarchive',
          target: spaceTarget(found),
          before: { archived: true },
          after: { archived: false },
        });
      }
      await tx.flush();
      return found;
    },
    { clear: true },
  );
  return spaceDto(ctx, space);
}

function toSpaceMemberDto(sm: SpaceMembership): TSpaceMember {
  return {
    userId: sm.user.id,
    email: sm.user.email,
    displayName: sm.user.displayName,
    initials: initialsOf(sm.user.displayName),
    avatarColor: sm.user.avatarColor,
    role: sm.role,
    addedAt: sm.createdAt,
  };
}

/** The space's members and roles, for anyone who may read the space. */
export async function listSpaceMembers(ctx: ServiceContext, spaceId: string): Promise<TSpaceMember[]> {
  authorizeSpace(ctx, 'space.members.read', spaceId);
  const { em } = ctx;
  await findSpace(em, ctx.organizationId, spaceId);
  const rows = await em.find(
    SpaceMembership,
    { organization: ctx.organizationId, space: spaceId },
    { populate: ['user'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return rows.map(toSpaceMemberDto);
}

async function findWritableSpace(tx: Em, orgId: string, spaceId: string): Promise<Space> {
  const space = await findSpace(tx, orgId, spaceId);
  if (space.archivedAt) throw new AppError('PRECONDITION_FAILED', ARCHIVED);
  return space;
}

async function findSpaceMember(
  tx: Em,
  orgId: string,
  spaceId: string,
  userId: string,
): Promise<SpaceMembership> {
  const sm = await tx.findOne(
    SpaceMembership,
    { organization: orgId, space: spaceId, user: userId },
    { populate: ['user'] },
  );
  if (!sm) throw AppError.notFound('Space member');
  return sm;
}

/**
 * Gives an organization member a role in the space. Someone outside the organization is
 * NOT_FOUND. Space admins and org owners/admins.
 */
export async function addSpaceMember(ctx: ServiceContext, input: TAddSpaceMember): Promise<TSpaceMember> {
  authorizeSpace(ctx, 'space.members.manage', input.spaceId);
  try {
    return await ctx.em.transactional(
      async (tx) => {
        const space = await findWritableSpace(tx, ctx.organizationId, input.spaceId);
        const member = await tx.findOne(
          Membership,
          { organization: ctx.organizationId, user: input.userId },
          { populate: ['user'] },
        );
        if (!member) throw AppError.notFound('Member');
        const existing = await tx.count(SpaceMembership, { space: space.id, user: input.userId });
        if (existing > 0)
          throw AppError.field('CONFLICT', 'userId', 'This member already has a role in the space');
        const sm = tx.create(SpaceMembership, {
          id: newId('smb'),
          organization: ctx.organizationId,
          space: space.id,
          user: member.user,
          role: input.role,
        });
        recordAudit(tx, auditOf(ctx), {
          organizationId: ctx.organizationId,
          action: 'space.member_add',
          target: spaceTarget(space),
          after: { userId: member.user.id, email: member.user.email, role: input.role },
        });
        await tx.flush();
        return toSpaceMemberDto(sm);
      },
      { clear: true },
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw AppError.field('CONFLICT', 'userId', 'This member already has a role in the space');
    }
    throw error;
  }
}

/** Changes a space member's role. Space admins and org owners/admins. */
export async function changeSpaceMemberRole(
  ctx: ServiceContext,
  input: TAddSpaceMember,
): Promise<TSpaceMember> {
  authorizeSpace(ctx, 'space.members.manage', input.spaceId);
  return ctx.em.transactional(
    async (tx) => {
      const space = await findWritableSpace(tx, ctx.organizationId, input.spaceId);
      const sm = await findSpaceMember(tx, ctx.organizationId, space.id, input.userId);
      if (sm.role !== input.role) {
        recordAudit(tx, auditOf(ctx), {
          organizationId: ctx.organizationId,
          action: 'space.member_role_change',
          target: spaceTarget(space),
          before: { userId: sm.user.id, email: sm.user.email, role: sm.role },
          after: { userId: sm.user.id, email: sm.user.email, role: input.role },
        });
        sm.role = input.role;
      }
      await tx.flush();
      return toSpaceMemberDto(sm);
    },
    { clear: true },
  );
}

/** Takes a member's role in the space away. Space admins and org owners/admins. */
export async function removeSpaceMember(
  ctx: ServiceContext,
  input: { spaceId: string; userId: string },
): Promise<void> {
  authorizeSpace(ctx, 'space.members.manage', input.spaceId);
  await ctx.em.transactional(
    async (tx) => {
      const space = await findWritableSpace(tx, ctx.organizationId, input.spaceId);
      const sm = await findSpaceMember(tx, ctx.organizationId, space.id, input.userId);
      recordAudit(tx, auditOf(ctx), {
        organizationId: ctx.organizationId,
        action: 'space.member_remove',
        target: spaceTarget(space),
        before: { userId: sm.user.id, email: sm.user.email, role: sm.role },
      });
      tx.remove(sm);
      await tx.flush();
    },
    { clear: true },
  );
}
