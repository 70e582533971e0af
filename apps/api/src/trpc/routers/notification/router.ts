import { router } from '../../trpc.js';
import { listProcedure } from './list.js';
import { markAllReadProcedure } from './mark-all-read.js';
import { markReadProcedure } from './mark-read.js';

export const notificationRouter = router({
  list: listProcedure,
  markRead: markReadProcedure,
  markAllRead: markAllReadProcedure,
});
