import { z } from 'zod';
import { ZUploadSpaceLogoSchema } from '../../../modules/space/space.schemas.js';
import { uploadSpaceLogo } from '../../../modules/space/space-logo.js';
import { orgProcedure } from '../../trpc.js';

/** A PNG, JPEG or SVG logo (≤ 256 kB, base64), checked by content; space admins and org owners/admins. */
export const uploadLogoProcedure = orgProcedure
  .input(ZUploadSpaceLogoSchema)
  .output(z.object({ logoUrl: z.string() }))
  .mutation(({ ctx, input }) => uploadSpaceLogo(ctx.service, input.spaceId, input.contentBase64));
