import {
  ZRotateWebhookSecretSchema,
  ZWebhookWithSecretSchema,
} from '../../../modules/webhook/webhook.schemas.js';
import { rotateEndpointSecret } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';
import { webhookDeps } from './webhook-deps.js';

/** Issues a new signing secret (shown this once); the old one stops now or after the overlap. */
export const rotateSecretProcedure = orgProcedure
  .input(ZRotateWebhookSecretSchema)
  .output(ZWebhookWithSecretSchema)
  .mutation(({ ctx, input }) => rotateEndpointSecret(ctx.service, input, webhookDeps(ctx)));
