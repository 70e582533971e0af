import { z } from 'zod';
import { ZApiKeySchema, ZUpdateKeySchema } from '../../../modules/api-key/api-key.schemas.js';
import { updateKey } from '../../../modules/api-key/update-key.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from './key-context.js';

export const updateProcedure = orgProcedure
  .input(z.object({ keyId: z.string().min(1).max(64), patch: ZUpdateKeySchema }))
  .output(ZApiKeySchema)
  .mutation(({ ctx, input }) => updateKey(keyServiceContext(ctx, input.orgId), input.keyId, input.patch));
