import { ZListLogsSchema, ZLogPageSchema } from '../../../modules/request-log/request-log.schemas.js';
import { listRequestLogs } from '../../../modules/request-log/request-log.service.js';
import { orgProcedure } from '../../trpc.js';

/** Request logs of a key, a space, or every space the caller may read; filtered, newest first. */
export const listProcedure = orgProcedure
  .input(ZListLogsSchema)
  .output(ZLogPageSchema)
  .query(({ ctx, input }) => listRequestLogs(ctx.service, input));
