import { ZSendTestEventSchema, ZWebhookDeliverySchema } from '../../../modules/webhook/webhook.schemas.js';
import { sendTestEvent } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';

/** Sends a `webhook.test` event to one endpoint now; it shows in the endpoint's delivery log. */
export const sendTestProcedure = orgProcedure
  .input(ZSendTestEventSchema)
  .output(ZWebhookDeliverySchema)
  .mutation(({ ctx, input }) => sendTestEvent(ctx.service, input.endpointId));
