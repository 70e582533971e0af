import { ZApiKeySchema, ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { setKeyActive } from '../../../modules/api-key/revoke-key.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from './key-context.js';

export const deactivateProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(ZApiKeySchema)
  .mutation(({ ctx, input }) => setKeyActive(keyServiceContext(ctx, input.orgId), input.keyId, false));
