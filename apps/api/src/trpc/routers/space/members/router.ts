import { router } from '../../../trpc.js';
import { addProcedure } from './add.js';
import { changeRoleProcedure } from './change-role.js';
import { listProcedure } from './list.js';
import { removeProcedure } from './remove.js';

export const spaceMembersRouter = router({
  list: listProcedure,
  add: addProcedure,
  changeRole: changeRoleProcedure,
  remove: removeProcedure,
});
