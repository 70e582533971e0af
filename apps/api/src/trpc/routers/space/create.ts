import { ZCreateSpaceSchema, ZSpaceSchema } from '../../../modules/space/space.schemas.js';
import { createSpace } from '../../../modules/space/space.service.js';
import { orgProcedure } from '../../trpc.js';

/** Creates a space (owners and admins); the catalog starts with the reserved scopes. */
export const createProcedure = orgProcedure
  .input(ZCreateSpaceSchema)
  .output(ZSpaceSchema)
  .mutation(({ ctx, input }) => createSpace(ctx.service, input));
