import { ZApiKeySchema, ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { setKeyActive } from '../../../modules/api-key/revoke-key.js';
import { orgProcedure } from '../../trpc.js';

export const deactivateProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(ZApiKeySchema)
  .mutation(({ ctx, input }) => setKeyActive(ctx.service, ctx.app.keyChanges, input.keyId, false));
