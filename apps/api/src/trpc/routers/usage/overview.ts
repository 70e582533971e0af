import { ZUsageOverviewSchema } from '../../../modules/usage/usage.schemas.js';
import { usageOverview } from '../../../modules/usage/usage.service.js';
import { orgProcedure } from '../../trpc.js';

/** Busiest keys, 24 h totals and plan-limit headroom; keys and totals over the spaces the caller may read. */
export const overviewProcedure = orgProcedure
  .output(ZUsageOverviewSchema)
  .query(({ ctx }) => usageOverview(ctx.service));
