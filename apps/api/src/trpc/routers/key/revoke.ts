import { ZApiKeySchema, ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { revokeKey } from '../../../modules/api-key/revoke-key.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from './key-context.js';

export const revokeProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(ZApiKeySchema)
  .mutation(({ ctx, input }) => revokeKey(keyServiceContext(ctx, input.orgId), input.keyId));
