import { ZDeleteSpaceResultSchema, ZSpaceRefSchema } from '../../../modules/space/space.schemas.js';
import { deleteSpace } from '../../../modules/space/space.service.js';
import { orgProcedure } from '../../trpc.js';

/** Deletes an empty space, archives one with keys; says which. Org owners and admins. */
export const deleteProcedure = orgProcedure
  .input(ZSpaceRefSchema)
  .output(ZDeleteSpaceResultSchema)
  .mutation(({ ctx, input }) => deleteSpace(ctx.service, input.spaceId));
