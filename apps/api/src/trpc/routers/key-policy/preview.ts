import {
  ZPolicyPreviewInputSchema,
  ZPolicyPreviewSchema,
} from '../../../modules/key-policy/key-policy.schemas.js';
import { previewPolicyChange } from '../../../modules/key-policy/key-policy.service.js';
import { orgProcedure, requireOrg, requireSpace } from '../../trpc.js';

/**
 * What saving a proposed policy would do to existing keys, before it is saved. Whoever may save
 * that policy may preview it (the organization's: owners and admins; a space's: its admins too).
 */
export const previewProcedure = orgProcedure
  .input(ZPolicyPreviewInputSchema)
  .output(ZPolicyPreviewSchema)
  .query(async ({ ctx, input }) => {
    if (input.spaceId === undefined) requireOrg(ctx.actor, 'keyPolicy.manage');
    else requireSpace(ctx.actor, 'space.keyPolicy', input.spaceId);
    // Last use this process counted but has not written yet decides idle keys too.
    await ctx.app.verification.flush();
    return previewPolicyChange(ctx.em, input.orgId, input, new Date());
  });
