import { ZReportLeakInputSchema, ZReportLeakResultSchema } from '../../../modules/leak/leak.schemas.js';
import { reportLeakAsMember } from '../../../modules/leak/leak.service.js';
import { orgProcedure } from '../../trpc.js';

/**
 * "Report as leaked" (§11) from the admin's pasted-key watcher: the same path as `POST /v1/leaks`
 * (possession of the full key proves the leak, so any member may report). The answer names the
 * key and what was done only when the key belongs to this organization.
 */
export const reportLeakProcedure = orgProcedure
  .input(ZReportLeakInputSchema)
  .output(ZReportLeakResultSchema)
  .mutation(({ ctx, input }) => reportLeakAsMember(ctx.service, { changes: ctx.app.keyChanges }, input));
