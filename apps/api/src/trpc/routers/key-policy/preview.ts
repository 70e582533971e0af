import {
  ZPolicyPreviewInputSchema,
  ZPolicyPreviewSchema,
} from '../../../modules/key-policy/key-policy.schemas.js';
import { previewPolicyChange } from '../../../modules/key-policy/key-policy.service.js';
import { orgProcedure } from '../../trpc.js';

/**
 * What saving a proposed policy would do to existing keys, before it is saved. Whoever may save
 * that policy may preview it (the organization's: owners and admins; a space's: its admins too).
 */
export const previewProcedure = orgProcedure
  .input(ZPolicyPreviewInputSchema)
  .output(ZPolicyPreviewSchema)
  .query(({ ctx, input }) =>
    previewPolicyChange(ctx.service, input, {
      // Last use this process counted but has not written yet decides idle keys too.
      beforeRead: () => ctx.app.verification.flush(),
    }),
  );
