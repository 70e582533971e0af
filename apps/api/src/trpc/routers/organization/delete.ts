import {
  ZDeleteOrganizationResultSchema,
  ZDeleteOrganizationSchema,
} from '../../../modules/organization/organization.schemas.js';
import { deleteOrganization } from '../../../modules/organization/organization.service.js';
import { orgProcedure } from '../../trpc.js';

/**
 * Deletes the organization and all its data; its keys stop working at once. Owners only,
 * confirmed by typing the slug.
 */
export const deleteProcedure = orgProcedure
  .input(ZDeleteOrganizationSchema)
  .output(ZDeleteOrganizationResultSchema)
  .mutation(async ({ ctx, input }) => {
    await deleteOrganization(ctx.service, input.confirmSlug, ctx.app.keyChanges);
    return { id: ctx.service.organizationId, deleted: true as const };
  });
