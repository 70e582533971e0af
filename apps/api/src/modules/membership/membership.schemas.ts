import { z } from 'zod';
import { SPACE_ROLES } from '../space/space.entity.js';
import { ORG_ROLES } from './membership.entity.js';

export const ZOrgRoleSchema = z.enum(ORG_ROLES, 'Choose owner, admin or member');

/** A member is named by their user id in every member procedure. */
export const ZMemberRefSchema = z.object({ userId: z.string().min(1).max(64) });

export const ZChangeMemberRoleSchema = ZMemberRefSchema.extend({ role: ZOrgRoleSchema });
export type TChangeMemberRole = z.infer<typeof ZChangeMemberRoleSchema>;

/** One of a member's space roles, as the member list shows it. */
export const ZMemberSpaceSchema = z.object({
  spaceId: z.string(),
  spaceName: z.string(),
  spaceSlug: z.string(),
  role: z.enum(SPACE_ROLES),
});

/** A member with everything the avatar list needs. */
export const ZMemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  initials: z.string(),
  avatarColor: z.string(),
  role: z.enum(ORG_ROLES),
  joinedAt: z.date(),
  /** Only the spaces the caller may see. */
  spaces: z.array(ZMemberSpaceSchema),
});
export type TMember = z.infer<typeof ZMemberSchema>;

export const ZOkSchema = z.object({ ok: z.literal(true) });
