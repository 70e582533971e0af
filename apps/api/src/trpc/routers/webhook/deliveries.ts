import { ZDeliveryPageSchema, ZListDeliveriesSchema } from '../../../modules/webhook/webhook.schemas.js';
import { listDeliveries } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';

/** One endpoint's delivery log, newest first: status, attempts, last answer or error. */
export const deliveriesProcedure = orgProcedure
  .input(ZListDeliveriesSchema)
  .output(ZDeliveryPageSchema)
  .query(({ ctx, input }) => listDeliveries(ctx.service, input));
