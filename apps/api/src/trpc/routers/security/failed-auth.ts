import { ZFailedAuthInputSchema, ZFailedAuthSchema } from '../../../modules/security/security.schemas.js';
import { failedAuthByIp } from '../../../modules/security/security.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Failed authentication per caller IP: attempts attributed to this organization and refusals of its keys. */
export const failedAuthProcedure = orgProcedure
  .input(ZFailedAuthInputSchema)
  .output(ZFailedAuthSchema)
  .query(({ ctx, input }) => {
    requireOrg(ctx.actor, 'security.read');
    return failedAuthByIp(ctx.em, input.orgId, input, ctx.app.verification.counters);
  });
