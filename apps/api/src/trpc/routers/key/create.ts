import { ZCreatedKeySchema, ZCreateKeySchema } from '../../../modules/api-key/api-key.schemas.js';
import { createKey } from '../../../modules/api-key/create-key.js';
import { orgProcedure } from '../../trpc.js';

/** Returns the full key once (responses under /trpc are `Cache-Control: no-store`). */
export const createProcedure = orgProcedure
  .input(ZCreateKeySchema)
  .output(ZCreatedKeySchema)
  .mutation(({ ctx, input }) => createKey(ctx.service, input));
