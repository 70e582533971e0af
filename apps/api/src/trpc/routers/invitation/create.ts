import {
  ZCreatedInvitationSchema,
  ZCreateInvitationSchema,
} from '../../../modules/invitation/invitation.schemas.js';
import { createInvitation } from '../../../modules/invitation/invitation.service.js';
import { orgProcedure } from '../../trpc.js';

/**
 * Invites an email with an org role (owners and admins; inviting an owner needs an owner).
 * The answer carries the link with the token; it is never shown again.
 */
export const createProcedure = orgProcedure
  .input(ZCreateInvitationSchema)
  .output(ZCreatedInvitationSchema)
  .mutation(({ ctx, input }) => createInvitation(ctx.service, input, ctx.app.env.PUBLIC_URL));
