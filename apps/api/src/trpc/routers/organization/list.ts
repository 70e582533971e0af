import { z } from 'zod';
import { ZOrganizationSchema } from '../../../modules/organization/organization.schemas.js';
import { listMyOrganizations } from '../../../modules/organization/organization.service.js';
import { authedProcedure } from '../../trpc.js';

export const listProcedure = authedProcedure
  .output(z.array(ZOrganizationSchema))
  .query(({ ctx }) => listMyOrganizations(ctx.em, ctx.user.id));
