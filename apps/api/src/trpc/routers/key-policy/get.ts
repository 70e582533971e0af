import { ZKeyPoliciesSchema, ZKeyPolicyQuerySchema } from '../../../modules/key-policy/key-policy.schemas.js';
import { readKeyPolicies } from '../../../modules/key-policy/key-policy.service.js';
import { orgProcedure } from '../../trpc.js';

/** The organization's key policy and leak response; with `spaceId`, also the space's own rules. Every member. */
export const getProcedure = orgProcedure
  .input(ZKeyPolicyQuerySchema)
  .output(ZKeyPoliciesSchema)
  .query(({ ctx, input }) => readKeyPolicies(ctx.service, input.spaceId));
