import { z } from 'zod';
import { ZMemberSchema } from '../../../modules/membership/membership.schemas.js';
import { listMembers } from '../../../modules/membership/membership.service.js';
import { orgProcedure } from '../../trpc.js';

/** Members with avatars, roles and (visible) space roles. Every member may list. */
export const listProcedure = orgProcedure
  .output(z.array(ZMemberSchema))
  .query(({ ctx }) => listMembers(ctx.service));
