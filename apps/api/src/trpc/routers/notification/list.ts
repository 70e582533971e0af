import { ZListNotificationsSchema, ZNotificationPageSchema } from '../../../modules/event/event.schemas.js';
import { listNotifications } from '../../../modules/event/notification.service.js';
import { orgProcedure } from '../../trpc.js';

/** The organization's events, newest first, as far as the caller may see them. */
export const listProcedure = orgProcedure
  .input(ZListNotificationsSchema)
  .output(ZNotificationPageSchema)
  .query(({ ctx, input }) => listNotifications(ctx.service, input));
