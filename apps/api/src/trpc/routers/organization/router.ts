import { router } from '../../trpc.js';
import { createProcedure } from './create.js';
import { listProcedure } from './list.js';

export const organizationRouter = router({
  list: listProcedure,
  create: createProcedure,
});
