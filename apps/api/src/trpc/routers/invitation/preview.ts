import {
  ZInvitationPreviewSchema,
  ZInvitationTokenSchema,
} from '../../../modules/invitation/invitation.schemas.js';
import { previewInvitation } from '../../../modules/invitation/invitation.service.js';
import { publicProcedure } from '../../trpc.js';

/** What an invitation link offers, for the accept screen; public, since the token is the secret. */
export const previewProcedure = publicProcedure
  .input(ZInvitationTokenSchema)
  .output(ZInvitationPreviewSchema)
  .query(({ ctx, input }) => previewInvitation(ctx.em, input.token));
