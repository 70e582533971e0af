import { ZCreateWebhookSchema, ZWebhookWithSecretSchema } from '../../../modules/webhook/webhook.schemas.js';
import { createEndpoint } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';
import { webhookDeps } from './webhook-deps.js';

/** Registers an endpoint; the answer carries the signing secret, shown this once. */
export const createProcedure = orgProcedure
  .input(ZCreateWebhookSchema)
  .output(ZWebhookWithSecretSchema)
  .mutation(({ ctx, input }) => createEndpoint(ctx.service, input, webhookDeps(ctx)));
