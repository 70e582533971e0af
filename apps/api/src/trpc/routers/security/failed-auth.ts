import { ZFailedAuthInputSchema, ZFailedAuthSchema } from '../../../modules/security/security.schemas.js';
import { failedAuthByIp } from '../../../modules/security/security.service.js';
import { orgProcedure } from '../../trpc.js';

/** Failed authentication per caller IP: attempts attributed to this organization and refusals of its keys. */
export const failedAuthProcedure = orgProcedure
  .input(ZFailedAuthInputSchema)
  .output(ZFailedAuthSchema)
  .query(({ ctx, input }) => failedAuthByIp(ctx.service, input, ctx.app.verification.counters));
