import { z } from 'zod';
import { ZSpaceSchema } from '../../../modules/space/space.schemas.js';
import { listSpaces } from '../../../modules/space/space.service.js';
import { orgProcedure } from '../../trpc.js';

/** Every space for org owners and admins; a member's own spaces otherwise. */
export const listProcedure = orgProcedure
  .output(z.array(ZSpaceSchema))
  .query(({ ctx }) => listSpaces(ctx.service));
