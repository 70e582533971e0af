import { ZSpaceSchema, ZUpdateSpaceSchema } from '../../../modules/space/space.schemas.js';
import { updateSpace } from '../../../modules/space/space.service.js';
import { orgProcedure, requireSpace } from '../../trpc.js';

/** Name, logo and scope catalog; space admins and org owners/admins. */
export const updateProcedure = orgProcedure
  .input(ZUpdateSpaceSchema)
  .output(ZSpaceSchema)
  .mutation(({ ctx, input }) => {
    requireSpace(ctx.actor, 'space.update', input.spaceId);
    return updateSpace(ctx.em, ctx.scope, input);
  });
