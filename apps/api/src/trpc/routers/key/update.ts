import { ZApiKeySchema, ZUpdateKeyInputSchema } from '../../../modules/api-key/api-key.schemas.js';
import { updateKey } from '../../../modules/api-key/update-key.js';
import { orgProcedure } from '../../trpc.js';

export const updateProcedure = orgProcedure
  .input(ZUpdateKeyInputSchema)
  .output(ZApiKeySchema)
  .mutation(({ ctx, input }) => updateKey(ctx.service, ctx.app.keyChanges, input.keyId, input.patch));
