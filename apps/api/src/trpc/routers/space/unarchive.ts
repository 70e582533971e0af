import { ZSpaceRefSchema, ZSpaceSchema } from '../../../modules/space/space.schemas.js';
import { unarchiveSpace } from '../../../modules/space/space.service.js';
import { orgProcedure } from '../../trpc.js';

/** Makes an archived space writable again. Org owners and admins. */
export const unarchiveProcedure = orgProcedure
  .input(ZSpaceRefSchema)
  .output(ZSpaceSchema)
  .mutation(({ ctx, input }) => unarchiveSpace(ctx.service, input.spaceId));
