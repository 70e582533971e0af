import { ZSpaceSchema, ZUpdateSpaceSchema } from '../../../modules/space/space.schemas.js';
import { updateSpace } from '../../../modules/space/space.service.js';
import { orgProcedure } from '../../trpc.js';

/** Name, logo and scope catalog; space admins and org owners/admins. */
export const updateProcedure = orgProcedure
  .input(ZUpdateSpaceSchema)
  .output(ZSpaceSchema)
  .mutation(({ ctx, input }) => updateSpace(ctx.service, input));
