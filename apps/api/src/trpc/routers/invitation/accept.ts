import { ZInvitationTokenSchema } from '../../../modules/invitation/invitation.schemas.js';
import { acceptInvitation } from '../../../modules/invitation/invitation.service.js';
import { ZOrganizationSchema } from '../../../modules/organization/organization.schemas.js';
import { authedProcedure } from '../../trpc.js';

/** Joins the organization as the signed-in user, whose email must be the invited one. */
export const acceptProcedure = authedProcedure
  .input(ZInvitationTokenSchema)
  .output(ZOrganizationSchema)
  .mutation(({ ctx, input }) => acceptInvitation(ctx.em, ctx.user, input.token, ctx.ip));
