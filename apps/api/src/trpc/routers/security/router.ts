import { router } from '../../trpc.js';
import { blockedIpsProcedure } from './blocked-ips.js';
import { failedAuthProcedure } from './failed-auth.js';
import { listProcedure } from './list.js';
import { rateLimitHitsProcedure } from './rate-limit-hits.js';
import { unblockIpProcedure } from './unblock-ip.js';

export const securityRouter = router({
  list: listProcedure,
  failedAuth: failedAuthProcedure,
  rateLimitHits: rateLimitHitsProcedure,
  blockedIps: blockedIpsProcedure,
  unblockIp: unblockIpProcedure,
});
