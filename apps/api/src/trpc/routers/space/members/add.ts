import { ZAddSpaceMemberSchema, ZSpaceMemberSchema } from '../../../../modules/space/space.schemas.js';
import { addSpaceMember } from '../../../../modules/space/space.service.js';
import { orgProcedure } from '../../../trpc.js';

/** Gives an organization member a space role. Space admins and org owners/admins. */
export const addProcedure = orgProcedure
  .input(ZAddSpaceMemberSchema)
  .output(ZSpaceMemberSchema)
  .mutation(({ ctx, input }) => addSpaceMember(ctx.service, input));
