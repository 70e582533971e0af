import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../../db/entity-fields.js';
import { Organization } from '../organization/organization.entity.js';
import { User } from '../user/user.entity.js';

export const SPACE_ROLES = ['admin', 'developer', 'viewer'] as const;
export type TSpaceRole = (typeof SPACE_ROLES)[number];

/** A group of keys with its own scope catalog and members. Archived spaces are read-only. */
export const SpaceSchema = defineEntity({
  name: 'Space',
  tableName: 'spaces',
  uniques: [{ properties: ['organization', 'slug'] }],
  properties: {
    id: p.string().primary().length(24),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    name: p.string().length(64),
    slug: p.string().length(48),
    logoColor: p.string().length(7),
    logoUrl: p.string().length(2048).nullable(),
    /** Scope strings (§4 grammar) keys of this space may hold; always includes the reserved `keys:*` scopes. */
    scopeCatalog: p.json<string[]>(),
    archivedAt: p.datetime().nullable(),
    ...timestamps(),
  },
});

export class Space extends SpaceSchema.class {}
SpaceSchema.setClass(Space);

/** A user's role in one space. `organization` is denormalised so every query can filter by tenant. */
export const SpaceMembershipSchema = defineEntity({
  name: 'SpaceMembership',
  tableName: 'space_memberships',
  uniques: [{ properties: ['space', 'user'] }],
  indexes: [{ properties: ['organization', 'user'] }],
  properties: {
    id: p.string().primary().length(24),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    space: () => p.manyToOne(Space).deleteRule('cascade'),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    role: p.enum([...SPACE_ROLES]),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SpaceMembership extends SpaceMembershipSchema.class {}
SpaceMembershipSchema.setClass(SpaceMembership);
