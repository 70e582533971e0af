import { z } from 'zod';
import { ZChangePasswordSchema } from '../../../modules/user/user.schemas.js';
import { changePassword } from '../../../modules/user/user.service.js';
import { authedProcedure } from '../../trpc.js';

/** Changes the password and ends every session of the user; this browser gets a fresh one. */
export const changePasswordProcedure = authedProcedure
  .input(ZChangePasswordSchema)
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await changePassword(ctx.em, ctx.user.id, input.currentPassword, input.newPassword);
    await ctx.app.sessions.invalidateUser(ctx.user.id);
    ctx.setCookie(await ctx.app.sessions.create(ctx.user.id, { ip: ctx.ip, userAgent: ctx.userAgent }));
    return { ok: true as const };
  });
