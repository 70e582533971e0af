import { ZUnblockedIpSchema, ZUnblockIpSchema } from '../../../modules/security/security.schemas.js';
import { unblockIp } from '../../../modules/security/security.service.js';
import { orgProcedure } from '../../trpc.js';

/** Lifts a block attributed to this organization; recorded as a security event and in the audit log. */
export const unblockIpProcedure = orgProcedure
  .input(ZUnblockIpSchema)
  .output(ZUnblockedIpSchema)
  .mutation(({ ctx, input }) => unblockIp(ctx.service, input.ip, ctx.app.verification.counters));
