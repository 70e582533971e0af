import { ZInvitationRefSchema, ZInvitationSchema } from '../../../modules/invitation/invitation.schemas.js';
import { revokeInvitation } from '../../../modules/invitation/invitation.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Revokes an invitation; its link stops working at once. Owners and admins. */
export const revokeProcedure = orgProcedure
  .input(ZInvitationRefSchema)
  .output(ZInvitationSchema)
  .mutation(({ ctx, input }) => {
    requireOrg(ctx.actor, 'invitation.revoke');
    return revokeInvitation(ctx.em, ctx.scope, input.invitationId);
  });
