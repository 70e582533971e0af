import { ZMarkAllReadResultSchema } from '../../../modules/event/event.schemas.js';
import { markAllNotificationsRead } from '../../../modules/event/notification.service.js';
import { orgProcedure } from '../../trpc.js';

/** Marks every notification up to now read for the caller in this organization. */
export const markAllReadProcedure = orgProcedure
  .output(ZMarkAllReadResultSchema)
  .mutation(({ ctx }) => markAllNotificationsRead(ctx.service));
