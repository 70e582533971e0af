import { z } from 'zod';
import { ZInvitationSchema } from '../../../modules/invitation/invitation.schemas.js';
import { listInvitations } from '../../../modules/invitation/invitation.service.js';
import { orgProcedure } from '../../trpc.js';

/** Invitations with their status (pending, accepted, revoked, expired). Owners and admins. */
export const listProcedure = orgProcedure
  .output(z.array(ZInvitationSchema))
  .query(({ ctx }) => listInvitations(ctx.service));
