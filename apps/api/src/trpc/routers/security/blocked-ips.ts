import { ZBlockedIpsSchema } from '../../../modules/security/security.schemas.js';
import { blockedIps } from '../../../modules/security/security.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** IPs blocked now for failed attempts attributed to this organization, with when each block ends. */
export const blockedIpsProcedure = orgProcedure.output(ZBlockedIpsSchema).query(({ ctx, input }) => {
  requireOrg(ctx.actor, 'security.read');
  return blockedIps(ctx.em, input.orgId, ctx.app.verification.counters, new Date());
});
