import { ZSpaceRefSchema, ZSpaceSchema } from '../../../modules/space/space.schemas.js';
import { unarchiveSpace } from '../../../modules/space/space.service.js';
import { orgProcedure, requireSpace } from '../../trpc.js';

/** Makes an archived space writable again. Org owners and admins. */
export const unarchiveProcedure = orgProcedure
  .input(ZSpaceRefSchema)
  .output(ZSpaceSchema)
  .mutation(({ ctx, input }) => {
    requireSpace(ctx.actor, 'space.archive', input.spaceId);
    return unarchiveSpace(ctx.em, ctx.scope, input.spaceId);
  });
