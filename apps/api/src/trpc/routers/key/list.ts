import { ZKeyPageSchema, ZListKeysSchema } from '../../../modules/api-key/api-key.schemas.js';
import { listKeys } from '../../../modules/api-key/api-key.service.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from './key-context.js';

/** Server-side search, filters, sort and pagination over the keys the caller may see. */
export const listProcedure = orgProcedure
  .input(ZListKeysSchema)
  .output(ZKeyPageSchema)
  .query(({ ctx, input }) => listKeys(keyServiceContext(ctx, input.orgId), input));
