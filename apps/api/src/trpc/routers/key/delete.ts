import { z } from 'zod';
import { ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { deleteKey } from '../../../modules/api-key/delete-key.js';
import { orgProcedure } from '../../trpc.js';

export const deleteProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteKey(ctx.service, ctx.app.keyChanges, input.keyId));
