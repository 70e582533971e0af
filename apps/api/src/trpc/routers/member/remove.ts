import { ZMemberRefSchema, ZOkSchema } from '../../../modules/membership/membership.schemas.js';
import { removeMember } from '../../../modules/membership/membership.service.js';
import { orgProcedure } from '../../trpc.js';

/** Removes a member and their space roles; their next request in this organization is NOT_FOUND. */
export const removeProcedure = orgProcedure
  .input(ZMemberRefSchema)
  .output(ZOkSchema)
  .mutation(async ({ ctx, input }) => {
    await removeMember(ctx.service, input.userId);
    return { ok: true as const };
  });
