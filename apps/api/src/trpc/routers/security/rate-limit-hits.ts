import {
  ZRateLimitHitsInputSchema,
  ZRateLimitHitsSchema,
} from '../../../modules/security/security.schemas.js';
import { rateLimitHits } from '../../../modules/security/security.service.js';
import { orgProcedure } from '../../trpc.js';

/** Rate-limit and quota refusals per key over time (seed 002: monitor rate-limit hits). */
export const rateLimitHitsProcedure = orgProcedure
  .input(ZRateLimitHitsInputSchema)
  .output(ZRateLimitHitsSchema)
  .query(({ ctx, input }) => rateLimitHits(ctx.service, input));
