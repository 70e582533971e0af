import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';
import { User } from '../user/user.entity.js';

export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export type TOrgRole = (typeof ORG_ROLES)[number];

/** A user's role in one organization. */
export const MembershipSchema = defineEntity({
  name: 'Membership',
  tableName: 'memberships',
  uniques: [{ properties: ['organization', 'user'] }],
  properties: {
    id: p.string().primary().length(24),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    role: p.enum([...ORG_ROLES]),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Membership extends MembershipSchema.class {}
MembershipSchema.setClass(Membership);
