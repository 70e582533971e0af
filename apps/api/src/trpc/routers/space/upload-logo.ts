import { z } from 'zod';
import { uploadSpaceLogo } from '../../../modules/space/space-logo.js';
import { orgProcedure, requireSpace } from '../../trpc.js';

/** A PNG, JPEG or SVG logo (≤ 256 kB, base64), checked by content; space admins and org owners/admins. */
export const uploadLogoProcedure = orgProcedure
  .input(
    z.object({
      spaceId: z.string().min(1).max(64),
      // 256 kB of bytes is at most 349,528 base64 characters.
      contentBase64: z
        .string()
        .max(350_000, 'The image is larger than 256 kB')
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file must be sent as base64'),
    }),
  )
  .output(z.object({ logoUrl: z.string() }))
  .mutation(({ ctx, input }) => {
    requireSpace(ctx.actor, 'space.update', input.spaceId);
    return uploadSpaceLogo(ctx.em, ctx.scope, input.spaceId, input.contentBase64);
  });
