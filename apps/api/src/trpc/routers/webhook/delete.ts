import { z } from 'zod';
import { ZWebhookRefSchema } from '../../../modules/webhook/webhook.schemas.js';
import { deleteEndpoint } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure } from '../../trpc.js';

/** Removes the endpoint and its delivery log. */
export const deleteProcedure = orgProcedure
  .input(ZWebhookRefSchema)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteEndpoint(ctx.service, input.endpointId));
