import { defineEntity, p } from '@mikro-orm/core';
import { ORG_ROLES } from '../membership/membership.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { User } from '../user/user.entity.js';

/**
 * An invitation to join an organization. The link carries a random token; only its
 * SHA-256 is stored. Single use (`acceptedAt`), revocable (`revokedAt`), expires in 7 days.
 */
export const InvitationSchema = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  indexes: [{ properties: ['organization', 'createdAt'] }],
  properties: {
    id: p.string().primary().length(24),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    email: p.string().length(320),
    emailNormalized: p.string().length(320),
    role: p.enum([...ORG_ROLES]),
    tokenHash: p.string().length(64).unique(),
    invitedBy: () => p.manyToOne(User).deleteRule('set null').nullable(),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    acceptedBy: () => p.manyToOne(User).deleteRule('set null').nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Invitation extends InvitationSchema.class {}
InvitationSchema.setClass(Invitation);
