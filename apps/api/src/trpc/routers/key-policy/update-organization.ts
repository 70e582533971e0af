import {
  ZKeyPoliciesSchema,
  ZUpdateOrganizationPolicySchema,
} from '../../../modules/key-policy/key-policy.schemas.js';
import { updateOrganizationPolicy } from '../../../modules/key-policy/key-policy.service.js';
import { orgProcedure } from '../../trpc.js';

/** The organization's default key policy and leak response. Owners and admins. */
export const updateOrganizationProcedure = orgProcedure
  .input(ZUpdateOrganizationPolicySchema)
  .output(ZKeyPoliciesSchema)
  .mutation(({ ctx, input }) => updateOrganizationPolicy(ctx.service, input));
