import { ZOkSchema } from '../../../../modules/membership/membership.schemas.js';
import { ZRemoveSpaceMemberSchema } from '../../../../modules/space/space.schemas.js';
import { removeSpaceMember } from '../../../../modules/space/space.service.js';
import { orgProcedure } from '../../../trpc.js';

/** Takes a member's role in the space away. Space admins and org owners/admins. */
export const removeProcedure = orgProcedure
  .input(ZRemoveSpaceMemberSchema)
  .output(ZOkSchema)
  .mutation(async ({ ctx, input }) => {
    await removeSpaceMember(ctx.service, input);
    return { ok: true as const };
  });
