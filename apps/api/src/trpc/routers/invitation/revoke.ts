import { ZInvitationRefSchema, ZInvitationSchema } from '../../../modules/invitation/invitation.schemas.js';
import { revokeInvitation } from '../../../modules/invitation/invitation.service.js';
import { orgProcedure } from '../../trpc.js';

/** Revokes an invitation; its link stops working at once. Owners and admins. */
export const revokeProcedure = orgProcedure
  .input(ZInvitationRefSchema)
  .output(ZInvitationSchema)
  .mutation(({ ctx, input }) => revokeInvitation(ctx.service, input.invitationId));
