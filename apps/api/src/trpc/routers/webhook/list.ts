import { z } from 'zod';
import { ZWebhookEndpointSchema } from '../../../modules/webhook/webhook.schemas.js';
import { listEndpoints } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';

/** The organization's webhook endpoints, oldest first; secrets only as hints. Owners and admins. */
export const listProcedure = orgProcedure
  .output(z.array(ZWebhookEndpointSchema))
  .query(({ ctx }) => listEndpoints(ctx.service));
