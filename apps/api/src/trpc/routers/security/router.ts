import { router } from '../../trpc.js';
import { blockedIpsProcedure } from './blocked-ips.js';
import { failedAuthProcedure } from './failed-auth.js';
import { listProcedure } from './list.js';
import { unblockIpProcedure } from './unblock-ip.js';

export const securityRouter = router({
  list: listProcedure,
  failedAuth: failedAuthProcedure,
  blockedIps: blockedIpsProcedure,
  unblockIp: unblockIpProcedure,
});
