import type { WebhookDeps } from '../../../modules/webhook/webhook.service.js';
import { webhookTargetPolicy } from '../../../modules/webhook/webhook-url.js';
import type { TrpcContext } from '../../context.js';

/** The webhook services' collaborators, from the process-wide services. */
export function webhookDeps(ctx: TrpcContext): WebhookDeps {
  return { secrets: ctx.app.secretBox, policy: webhookTargetPolicy(ctx.app.env) };
}
