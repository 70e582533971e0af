import { ZBlockedIpsSchema } from '../../../modules/security/security.schemas.js';
import { blockedIps } from '../../../modules/security/security.service.js';
import { orgProcedure } from '../../trpc.js';

/** IPs blocked now for failed attempts attributed to this organization, with when each block ends. */
export const blockedIpsProcedure = orgProcedure
  .output(ZBlockedIpsSchema)
  .query(({ ctx }) => blockedIps(ctx.service, ctx.app.verification.counters));
