import { ZChangeSpaceMemberRoleSchema, ZSpaceMemberSchema } from '../../../../modules/space/space.schemas.js';
import { changeSpaceMemberRole } from '../../../../modules/space/space.service.js';
import { orgProcedure, requireSpace } from '../../../trpc.js';

/** Changes a space member's role. Space admins and org owners/admins. */
export const changeRoleProcedure = orgProcedure
  .input(ZChangeSpaceMemberRoleSchema)
  .output(ZSpaceMemberSchema)
  .mutation(({ ctx, input }) => {
    requireSpace(ctx.actor, 'space.members.manage', input.spaceId);
    return changeSpaceMemberRole(ctx.em, ctx.scope, input);
  });
