import { ZOrganizationSchema } from '../../../modules/organization/organization.schemas.js';
import { getOrganization } from '../../../modules/organization/organization.service.js';
import { orgProcedure } from '../../trpc.js';

/** The organization with the caller's role in it. */
export const byIdProcedure = orgProcedure
  .output(ZOrganizationSchema)
  .query(({ ctx }) => getOrganization(ctx.service));
