import { ZUpdateWebhookSchema, ZWebhookEndpointSchema } from '../../../modules/webhook/webhook.schemas.js';
import { updateEndpoint } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';
import { webhookDeps } from './webhook-deps.js';

/** Changes URL, events, description, or enables/disables the endpoint. */
export const updateProcedure = orgProcedure
  .input(ZUpdateWebhookSchema)
  .output(ZWebhookEndpointSchema)
  .mutation(({ ctx, input }) => updateEndpoint(ctx.service, input, webhookDeps(ctx)));
