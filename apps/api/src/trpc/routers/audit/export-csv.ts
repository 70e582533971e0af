import { ZExportAuditSchema } from '../../../modules/audit/audit.schemas.js';
import { exportAuditEventsCsv } from '../../../modules/audit/audit-log.service.js';
import { ZCsvExportSchema } from '../../../modules/request-log/request-log.schemas.js';
import { orgProcedure } from '../../trpc.js';

/** The filtered audit trail as a CSV document. Owners and admins. */
export const exportCsvProcedure = orgProcedure
  .input(ZExportAuditSchema)
  .output(ZCsvExportSchema)
  .query(({ ctx, input }) => exportAuditEventsCsv(ctx.service, input));
