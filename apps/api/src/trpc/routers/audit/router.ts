import { router } from '../../trpc.js';
import { exportCsvProcedure } from './export-csv.js';
import { listProcedure } from './list.js';

export const auditRouter = router({
  list: listProcedure,
  exportCsv: exportCsvProcedure,
});
