import { ZOkSchema } from '../../../modules/membership/membership.schemas.js';
import { leaveOrganization } from '../../../modules/membership/membership.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** The caller leaves the organization (not the last owner). */
export const leaveProcedure = orgProcedure.output(ZOkSchema).mutation(async ({ ctx }) => {
  requireOrg(ctx.actor, 'member.leave');
  await leaveOrganization(ctx.em, ctx.scope);
  return { ok: true as const };
});
