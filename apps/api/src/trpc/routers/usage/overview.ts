import { ZUsageOverviewSchema } from '../../../modules/usage/usage.schemas.js';
import { usageOverview } from '../../../modules/usage/usage.service.js';
import { orgProcedure } from '../../trpc.js';
import { keyServiceContext } from '../key/key-context.js';

/** Busiest keys, 24 h totals and plan-limit headroom; keys and totals over the spaces the caller may read. */
export const overviewProcedure = orgProcedure
  .output(ZUsageOverviewSchema)
  .query(({ ctx, input }) => usageOverview(keyServiceContext(ctx, input.orgId)));
