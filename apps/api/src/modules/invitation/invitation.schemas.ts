import { z } from 'zod';
import { ORG_ROLES } from '../membership/membership.entity.js';
import { ZOrgRoleSchema } from '../membership/membership.schemas.js';
import { ZEmailSchema } from '../user/user.schemas.js';

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type TInvitationStatus = (typeof INVITATION_STATUSES)[number];

export const ZCreateInvitationSchema = z.object({ email: ZEmailSchema, role: ZOrgRoleSchema });
export type TCreateInvitation = z.infer<typeof ZCreateInvitationSchema>;

export const ZInvitationRefSchema = z.object({ invitationId: z.string().min(1).max(64) });

/** The token from an invitation link. Malformed tokens are simply unknown (NOT_FOUND). */
export const ZInvitationTokenSchema = z.object({ token: z.string().min(1).max(256) });

/** An invitation as admins see it; never the token or its hash. */
export const ZInvitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(ORG_ROLES),
  status: z.enum(INVITATION_STATUSES),
  invitedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
  acceptedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type TInvitation = z.infer<typeof ZInvitationSchema>;

/** The create answer: the only time the link (and so the token) is ever shown. */
export const ZCreatedInvitationSchema = z.object({ invitation: ZInvitationSchema, link: z.string() });
export type TCreatedInvitation = z.infer<typeof ZCreatedInvitationSchema>;

/** What the accept screen shows before the user decides, to anyone holding the link. */
export const ZInvitationPreviewSchema = z.object({
  organizationName: z.string(),
  /** Seeds the organization's logo colour, so it looks the same here as in the admin. */
  organizationSlug: z.string(),
  inviterName: z.string().nullable(),
  email: z.string(),
  role: z.enum(ORG_ROLES),
  status: z.enum(['valid', 'expired', 'accepted', 'revoked']),
  expiresAt: z.date(),
});
export type TInvitationPreview = z.infer<typeof ZInvitationPreviewSchema>;
