import { ZRedeliverSchema, ZWebhookDeliverySchema } from '../../../modules/webhook/webhook.schemas.js';
import { redeliver } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';

/** Queues the delivery's event to its endpoint again, to be sent at once. */
export const redeliverProcedure = orgProcedure
  .input(ZRedeliverSchema)
  .output(ZWebhookDeliverySchema)
  .mutation(({ ctx, input }) => redeliver(ctx.service, input.deliveryId));
