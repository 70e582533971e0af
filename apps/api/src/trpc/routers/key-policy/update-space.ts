import {
  ZKeyPoliciesSchema,
  ZUpdateSpacePolicySchema,
} from '../../../modules/key-policy/key-policy.schemas.js';
import { updateSpacePolicy } from '../../../modules/key-policy/key-policy.service.js';
import { orgProcedure, requireSpace } from '../../trpc.js';

/** A space's own key policy, which may only tighten the organization's. Space admins, org owners and admins. */
export const updateSpaceProcedure = orgProcedure
  .input(ZUpdateSpacePolicySchema)
  .output(ZKeyPoliciesSchema)
  .mutation(({ ctx, input }) => {
    requireSpace(ctx.actor, 'space.keyPolicy', input.spaceId);
    return updateSpacePolicy(ctx.em, ctx.scope, input);
  });
