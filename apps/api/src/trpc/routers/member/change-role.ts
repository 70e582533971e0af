import { ZChangeMemberRoleSchema, ZMemberSchema } from '../../../modules/membership/membership.schemas.js';
import { changeMemberRole } from '../../../modules/membership/membership.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Owners and admins change roles; granting or taking `owner` needs an owner; never the last owner. */
export const changeRoleProcedure = orgProcedure
  .input(ZChangeMemberRoleSchema)
  .output(ZMemberSchema)
  .mutation(({ ctx, input }) => {
    requireOrg(ctx.actor, 'member.changeRole');
    return changeMemberRole(ctx.em, ctx.scope, input);
  });
