import { z } from 'zod';
import { ZMarkNotificationReadSchema } from '../../../modules/event/event.schemas.js';
import { markNotificationRead } from '../../../modules/event/notification.service.js';
import { orgProcedure } from '../../trpc.js';

/** Marks one notification entry read for the caller (by the id of its newest event). */
export const markReadProcedure = orgProcedure
  .input(ZMarkNotificationReadSchema)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => markNotificationRead(ctx.service, input.id));
