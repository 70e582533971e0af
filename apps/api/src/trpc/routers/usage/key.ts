import { ZKeyRefSchema } from '../../../modules/api-key/api-key.schemas.js';
import { ZKeyUsageSchema } from '../../../modules/usage/usage.schemas.js';
import { keyUsage } from '../../../modules/usage/usage.service.js';
import { orgProcedure } from '../../trpc.js';

/** A key's quota windows (used / limit / remaining / when credits free up), as the API enforces them. */
export const keyProcedure = orgProcedure
  .input(ZKeyRefSchema)
  .output(ZKeyUsageSchema)
  .query(({ ctx, input }) => keyUsage(ctx.service, ctx.app.verification.usage, input.keyId));
