import { ZApiKeySchema, ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { revokeKey } from '../../../modules/api-key/revoke-key.js';
import { orgProcedure } from '../../trpc.js';

export const revokeProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(ZApiKeySchema)
  .mutation(({ ctx, input }) => revokeKey(ctx.service, ctx.app.keyChanges, input.keyId));
