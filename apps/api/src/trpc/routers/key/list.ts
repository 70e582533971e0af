import { ZKeyPageSchema, ZListKeysSchema } from '../../../modules/api-key/api-key.schemas.js';
import { listKeys } from '../../../modules/api-key/list-keys.js';
import { orgProcedure } from '../../trpc.js';

/** Server-side search, filters, sort and pagination over the keys the caller may see. */
export const listProcedure = orgProcedure
  .input(ZListKeysSchema)
  .output(ZKeyPageSchema)
  .query(async ({ ctx, input }) => {
    // Usage and last use this process counted but has not written yet join the tables first.
    await ctx.app.verification.flush();
    return listKeys(ctx.service, input);
  });
