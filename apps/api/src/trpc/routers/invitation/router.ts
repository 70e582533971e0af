import { router } from '../../trpc.js';
import { acceptProcedure } from './accept.js';
import { createProcedure } from './create.js';
import { listProcedure } from './list.js';
import { previewProcedure } from './preview.js';
import { revokeProcedure } from './revoke.js';

export const invitationRouter = router({
  create: createProcedure,
  list: listProcedure,
  revoke: revokeProcedure,
  preview: previewProcedure,
  accept: acceptProcedure,
});
