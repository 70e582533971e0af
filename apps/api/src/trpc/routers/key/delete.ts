import { z } from 'zod';
import { deleteKey } from '../../../modules/api-key/delete-key.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from './key-context.js';

export const deleteProcedure = orgProcedure
  .input(z.object({ keyId: z.string().min(1).max(64) }))
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteKey(keyServiceContext(ctx, input.orgId), input.keyId));
