import {
  ZListSecurityEventsSchema,
  ZSecurityEventPageSchema,
} from '../../../modules/security/security.schemas.js';
import { listSecurityEvents } from '../../../modules/security/security.service.js';
import { orgProcedure } from '../../trpc.js';

/** Security events (new IPs, quota exceeded, IP blocks and unblocks), newest first. Owners and admins. */
export const listProcedure = orgProcedure
  .input(ZListSecurityEventsSchema)
  .output(ZSecurityEventPageSchema)
  .query(({ ctx, input }) => listSecurityEvents(ctx.service, input));
