import { ZApiKeySchema, ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { getKey } from '../../../modules/api-key/list-keys.js';
import { orgProcedure } from '../../trpc.js';

export const byIdProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(ZApiKeySchema)
  .query(async ({ ctx, input }) => {
    // Usage and last use this process counted but has not written yet join the tables first.
    await ctx.app.verification.flush();
    return getKey(ctx.service, input.keyId);
  });
