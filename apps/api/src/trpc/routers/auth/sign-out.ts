import { z } from 'zod';
import { publicProcedure } from '../../trpc.js';

/** Ends the current session on the server and clears the cookie. Safe to call when signed out. */
export const signOutProcedure = publicProcedure
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await ctx.app.sessions.invalidate(ctx.sessionToken);
    ctx.setCookie(ctx.app.sessions.blankCookie());
    return { ok: true as const };
  });
