import { ZRedeliverSchema, ZWebhookDeliverySchema } from '../../../modules/webhook/webhook.schemas.js';
import { redeliver } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Queues the delivery's event to its endpoint again, to be sent at once. */
export const redeliverProcedure = orgProcedure
  .input(ZRedeliverSchema)
  .output(ZWebhookDeliverySchema)
  .mutation(({ ctx, input }) => {
    requireOrg(ctx.actor, 'webhook.manage');
    return redeliver(ctx.em, ctx.scope, input.deliveryId);
  });
