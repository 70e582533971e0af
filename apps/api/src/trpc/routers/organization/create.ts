import { userAuditActor } from '../../../auth/principal.js';
import {
  ZCreateOrganizationSchema,
  ZOrganizationSchema,
} from '../../../modules/organization/organization.schemas.js';
import { createOrganization } from '../../../modules/organization/organization.service.js';
import { authedProcedure } from '../../trpc.js';

/** Any signed-in user may create an organization; they become its owner. */
export const createProcedure = authedProcedure
  .input(ZCreateOrganizationSchema)
  .output(ZOrganizationSchema)
  .mutation(({ ctx, input }) =>
    createOrganization(ctx.em, ctx.user.id, input, userAuditActor(ctx.user, ctx.ip)),
  );
