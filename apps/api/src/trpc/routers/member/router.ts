import { router } from '../../trpc.js';
import { changeRoleProcedure } from './change-role.js';
import { leaveProcedure } from './leave.js';
import { listProcedure } from './list.js';
import { removeProcedure } from './remove.js';

export const memberRouter = router({
  list: listProcedure,
  changeRole: changeRoleProcedure,
  remove: removeProcedure,
  leave: leaveProcedure,
});
