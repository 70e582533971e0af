import { ZKeyPoliciesSchema, ZKeyPolicyQuerySchema } from '../../../modules/key-policy/key-policy.schemas.js';
import { readKeyPolicies } from '../../../modules/key-policy/key-policy.service.js';
import { orgProcedure, requireOrg, requireSpace } from '../../trpc.js';

/** The organization's key policy and leak response; with `spaceId`, also the space's own rules. Every member. */
export const getProcedure = orgProcedure
  .input(ZKeyPolicyQuerySchema)
  .output(ZKeyPoliciesSchema)
  .query(({ ctx, input }) => {
    requireOrg(ctx.actor, 'keyPolicy.read');
    if (input.spaceId !== undefined) requireSpace(ctx.actor, 'space.read', input.spaceId);
    return readKeyPolicies(ctx.em, input.orgId, input.spaceId);
  });
