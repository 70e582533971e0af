import { router } from '../../trpc.js';
import { byIdProcedure } from './by-id.js';
import { createProcedure } from './create.js';
import { deleteProcedure } from './delete.js';
import { listProcedure } from './list.js';
import { spaceMembersRouter } from './members/router.js';
import { unarchiveProcedure } from './unarchive.js';
import { updateProcedure } from './update.js';
import { uploadLogoProcedure } from './upload-logo.js';

export const spaceRouter = router({
  list: listProcedure,
  byId: byIdProcedure,
  create: createProcedure,
  update: updateProcedure,
  uploadLogo: uploadLogoProcedure,
  delete: deleteProcedure,
  unarchive: unarchiveProcedure,
  members: spaceMembersRouter,
});
