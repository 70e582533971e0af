import { ZApiKeySchema, ZUpdateKeyInputSchema } from '../../../modules/api-key/api-key.schemas.js';
import { updateKey } from '../../../modules/api-key/update-key.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from './key-context.js';

export const updateProcedure = orgProcedure
  .input(ZUpdateKeyInputSchema)
  .output(ZApiKeySchema)
  .mutation(({ ctx, input }) => updateKey(keyServiceContext(ctx, input.orgId), input.keyId, input.patch));
