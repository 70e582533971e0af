import { ZSpaceRefSchema, ZSpaceSchema } from '../../../modules/space/space.schemas.js';
import { getSpace } from '../../../modules/space/space.service.js';
import { orgProcedure } from '../../trpc.js';

/** One space, for anyone who may read it; others get NOT_FOUND. */
export const byIdProcedure = orgProcedure
  .input(ZSpaceRefSchema)
  .output(ZSpaceSchema)
  .query(({ ctx, input }) => getSpace(ctx.service, input.spaceId));
