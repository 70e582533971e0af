import {
  ZOrganizationSchema,
  ZTransferOwnershipSchema,
} from '../../../modules/organization/organization.schemas.js';
import { transferOwnership } from '../../../modules/organization/organization.service.js';
import { orgProcedure } from '../../trpc.js';

/** Makes another member owner; the caller becomes admin. Owners only. */
export const transferOwnershipProcedure = orgProcedure
  .input(ZTransferOwnershipSchema)
  .output(ZOrganizationSchema)
  .mutation(({ ctx, input }) => transferOwnership(ctx.service, input.userId));
