import { z } from 'zod';
import { ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { deleteKey } from '../../../modules/api-key/delete-key.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from './key-context.js';

export const deleteProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteKey(keyServiceContext(ctx, input.orgId), input.keyId));
