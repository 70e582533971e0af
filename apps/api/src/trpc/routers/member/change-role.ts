import { ZChangeMemberRoleSchema, ZMemberSchema } from '../../../modules/membership/membership.schemas.js';
import { changeMemberRole } from '../../../modules/membership/membership.service.js';
import { orgProcedure } from '../../trpc.js';

/** Owners and admins change roles; granting or taking `owner` needs an owner; never the last owner. */
export const changeRoleProcedure = orgProcedure
  .input(ZChangeMemberRoleSchema)
  .output(ZMemberSchema)
  .mutation(({ ctx, input }) => changeMemberRole(ctx.service, input));
