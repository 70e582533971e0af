import { z } from 'zod';
import { ZSpaceMemberSchema, ZSpaceRefSchema } from '../../../../modules/space/space.schemas.js';
import { listSpaceMembers } from '../../../../modules/space/space.service.js';
import { orgProcedure } from '../../../trpc.js';

/** The space's members and roles, for anyone who may read the space. */
export const listProcedure = orgProcedure
  .input(ZSpaceRefSchema)
  .output(z.array(ZSpaceMemberSchema))
  .query(({ ctx, input }) => listSpaceMembers(ctx.service, input.spaceId));
