import { z } from 'zod';
import { ZInvitationSchema } from '../../../modules/invitation/invitation.schemas.js';
import { listInvitations } from '../../../modules/invitation/invitation.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Invitations with their status (pending, accepted, revoked, expired). Owners and admins. */
export const listProcedure = orgProcedure.output(z.array(ZInvitationSchema)).query(({ ctx }) => {
  requireOrg(ctx.actor, 'invitation.list');
  return listInvitations(ctx.em, ctx.scope);
});
