import { ZCreatedKeySchema, ZRollKeyInputSchema } from '../../../modules/api-key/api-key.schemas.js';
import { rollKey } from '../../../modules/api-key/roll-key.js';
import { orgProcedure } from '../../trpc.js';

/** Issues the replacement (shown once); the old key stops working when the grace period ends. */
export const rollProcedure = orgProcedure
  .input(ZRollKeyInputSchema)
  .output(ZCreatedKeySchema)
  .mutation(({ ctx, input }) =>
    rollKey(ctx.service, ctx.app.keyChanges, input.keyId, input.gracePeriodSeconds),
  );
