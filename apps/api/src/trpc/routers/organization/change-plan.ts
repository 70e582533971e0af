import {
  ZChangePlanSchema,
  ZOrganizationSchema,
} from '../../../modules/organization/organization.schemas.js';
import { changePlan } from '../../../modules/organization/organization.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/** Switches the plan (no payment flow). Owners only. */
export const changePlanProcedure = orgProcedure
  .input(ZChangePlanSchema)
  .output(ZOrganizationSchema)
  .mutation(({ ctx, input }) => {
    requireOrg(ctx.actor, 'org.changePlan');
    return changePlan(ctx.em, ctx.scope, input.plan);
  });
