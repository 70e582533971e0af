import {
  ZDeleteOrganizationResultSchema,
  ZDeleteOrganizationSchema,
} from '../../../modules/organization/organization.schemas.js';
import { deleteOrganization } from '../../../modules/organization/organization.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/**
 * Deletes the organization and all its data; its keys stop working at once. Owners only,
 * confirmed by typing the slug.
 */
export const deleteProcedure = orgProcedure
  .input(ZDeleteOrganizationSchema)
  .output(ZDeleteOrganizationResultSchema)
  .mutation(async ({ ctx, input }) => {
    requireOrg(ctx.actor, 'org.delete');
    await deleteOrganization(ctx.em, ctx.scope, input.confirmSlug, ctx.app.keyChanges);
    return { id: ctx.scope.orgId, deleted: true as const };
  });
