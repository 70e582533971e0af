import {
  ZChangePlanSchema,
  ZOrganizationSchema,
} from '../../../modules/organization/organization.schemas.js';
import { changePlan } from '../../../modules/organization/organization.service.js';
import { orgProcedure } from '../../trpc.js';

/**
 * Switches the plan (no payment flow). Owners only. The plan sets every key's rate caps, so
 * after the commit every process drops its cached keys of the organization.
 */
export const changePlanProcedure = orgProcedure
  .input(ZChangePlanSchema)
  .output(ZOrganizationSchema)
  .mutation(async ({ ctx, input }) => {
    const organization = await changePlan(ctx.service, input.plan);
    ctx.app.keyChanges.publishOrganization(organization.id);
    return organization;
  });
