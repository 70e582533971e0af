import { router } from '../../trpc.js';
import { listProcedure } from './list.js';

export const notificationRouter = router({
  list: listProcedure,
});
