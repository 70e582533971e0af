import { ZKeySeriesInputSchema, ZKeySeriesSchema } from '../../../modules/usage/usage.schemas.js';
import { keySeries } from '../../../modules/usage/usage.service.js';
import { orgProcedure } from '../../trpc.js';

/** Admitted vs refused requests of a key over 24 h / 7 d (hourly) or 30 d (daily), for the usage chart. */
export const keySeriesProcedure = orgProcedure
  .input(ZKeySeriesInputSchema)
  .output(ZKeySeriesSchema)
  .query(({ ctx, input }) => keySeries(ctx.service, input.keyId, input.range));
