import { ZAuditPageSchema, ZListAuditSchema } from '../../../modules/audit/audit.schemas.js';
import { listAuditEvents } from '../../../modules/audit/audit-log.service.js';
import { orgProcedure } from '../../trpc.js';

/** The organization's audit trail, filtered by actor, action prefix, target and time. Owners and admins. */
export const listProcedure = orgProcedure
  .input(ZListAuditSchema)
  .output(ZAuditPageSchema)
  .query(({ ctx, input }) => listAuditEvents(ctx.service, input));
