import { z } from 'zod';
import { ZWebhookRefSchema } from '../../../modules/webhook/webhook.schemas.js';
import { deleteEndpoint } from '../../../modules/webhook/webhook.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Removes the endpoint and its delivery log. */
export const deleteProcedure = orgProcedure
  .input(ZWebhookRefSchema)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => {
    requireOrg(ctx.actor, 'webhook.manage');
    return deleteEndpoint(ctx.em, ctx.scope, input.endpointId);
  });
