import { ZMarkAllReadResultSchema } from '../../../modules/event/event.schemas.js';
import { markAllNotificationsRead } from '../../../modules/event/notification.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Marks every notification up to now read for the caller in this organization. */
export const markAllReadProcedure = orgProcedure.output(ZMarkAllReadResultSchema).mutation(({ ctx }) => {
  requireOrg(ctx.actor, 'notification.read');
  return markAllNotificationsRead(ctx.em, ctx.scope);
});
