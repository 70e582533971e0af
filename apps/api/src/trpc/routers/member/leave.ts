import { ZOkSchema } from '../../../modules/membership/membership.schemas.js';
import { leaveOrganization } from '../../../modules/membership/membership.service.js';
import { orgProcedure } from '../../trpc.js';

/** The caller leaves the organization (not the last owner). */
export const leaveProcedure = orgProcedure.output(ZOkSchema).mutation(async ({ ctx }) => {
  await leaveOrganization(ctx.service);
  return { ok: true as const };
});
