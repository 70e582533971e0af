import { router } from '../../trpc.js';
import { byIdProcedure } from './by-id.js';
import { changePlanProcedure } from './change-plan.js';
import { createProcedure } from './create.js';
import { deleteProcedure } from './delete.js';
import { listProcedure } from './list.js';
import { transferOwnershipProcedure } from './transfer-ownership.js';
import { updateProcedure } from './update.js';

export const organizationRouter = router({
  list: listProcedure,
  create: createProcedure,
  byId: byIdProcedure,
  update: updateProcedure,
  changePlan: changePlanProcedure,
  delete: deleteProcedure,
  transferOwnership: transferOwnershipProcedure,
});
