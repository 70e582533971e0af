import { router } from '../../trpc.js';
import { byIdProcedure } from './by-id.js';
import { categoriesProcedure } from './categories.js';
import { createProcedure } from './create.js';
import { deactivateProcedure } from './deactivate.js';
import { deleteProcedure } from './delete.js';
import { listProcedure } from './list.js';
import { reactivateProcedure } from './reactivate.js';
import { reportLeakProcedure } from './report-leak.js';
import { revokeProcedure } from './revoke.js';
import { rollProcedure } from './roll.js';
import { updateProcedure } from './update.js';

export const keyRouter = router({
  list: listProcedure,
  byId: byIdProcedure,
  categories: categoriesProcedure,
  create: createProcedure,
  update: updateProcedure,
  deactivate: deactivateProcedure,
  reactivate: reactivateProcedure,
  revoke: revokeProcedure,
  delete: deleteProcedure,
  roll: rollProcedure,
  reportLeak: reportLeakProcedure,
});
