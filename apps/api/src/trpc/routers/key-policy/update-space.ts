import {
  ZKeyPoliciesSchema,
  ZUpdateSpacePolicySchema,
} from '../../../modules/key-policy/key-policy.schemas.js';
import { updateSpacePolicy } from '../../../modules/key-policy/key-policy.service.js';
import { orgProcedure } from '../../trpc.js';

/** A space's own key policy, which may only tighten the organization's. Space admins, org owners and admins. */
export const updateSpaceProcedure = orgProcedure
  .input(ZUpdateSpacePolicySchema)
  .output(ZKeyPoliciesSchema)
  .mutation(({ ctx, input }) => updateSpacePolicy(ctx.service, input));
