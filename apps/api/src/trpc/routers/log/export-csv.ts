import { ZCsvExportSchema, ZExportLogsSchema } from '../../../modules/request-log/request-log.schemas.js';
import { exportRequestLogsCsv } from '../../../modules/request-log/request-log.service.js';
import { orgProcedure } from '../../trpc.js';

/** The filtered range of request logs as a CSV document (see docs/decisions/0010). */
export const exportCsvProcedure = orgProcedure
  .input(ZExportLogsSchema)
  .output(ZCsvExportSchema)
  .query(({ ctx, input }) => exportRequestLogsCsv(ctx.service, input));
