import {
  ZOrganizationSchema,
  ZUpdateOrganizationSchema,
} from '../../../modules/organization/organization.schemas.js';
import { updateOrganization } from '../../../modules/organization/organization.service.js';
import { orgProcedure } from '../../trpc.js';

/** Rename, change slug (unique: CONFLICT on `slug`) or key prefix. Owners and admins. */
export const updateProcedure = orgProcedure
  .input(ZUpdateOrganizationSchema)
  .output(ZOrganizationSchema)
  .mutation(({ ctx, input }) => updateOrganization(ctx.service, input));
