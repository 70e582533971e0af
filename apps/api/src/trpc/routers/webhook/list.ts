import { z } from 'zod';
import { ZWebhookEndpointSchema } from '../../../modules/webhook/webhook.schemas.js';
import { listEndpoints } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** The organization's webhook endpoints, oldest first; secrets only as hints. Owners and admins. */
export const listProcedure = orgProcedure.output(z.array(ZWebhookEndpointSchema)).query(({ ctx }) => {
  requireOrg(ctx.actor, 'webhook.read');
  return listEndpoints(ctx.em, ctx.scope);
});
