import { ZChangeSpaceMemberRoleSchema, ZSpaceMemberSchema } from '../../../../modules/space/space.schemas.js';
import { changeSpaceMemberRole } from '../../../../modules/space/space.service.js';
import { orgProcedure } from '../../../trpc.js';

/** Changes a space member's role. Space admins and org owners/admins. */
export const changeRoleProcedure = orgProcedure
  .input(ZChangeSpaceMemberRoleSchema)
  .output(ZSpaceMemberSchema)
  .mutation(({ ctx, input }) => changeSpaceMemberRole(ctx.service, input));
