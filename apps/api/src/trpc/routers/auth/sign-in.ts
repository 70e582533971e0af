import { AppError } from '../../../errors.js';
import { ZSignInSchema, ZUserSchema } from '../../../modules/user/user.schemas.js';
import { checkCredentials, toUserDto } from '../../../modules/user/user.service.js';
import { publicProcedure } from '../../trpc.js';

const TOO_MANY = 'Too many sign-in attempts. Try again in a few minutes.';

/**
 * Signs in with email and password. Attempts are throttled per client IP and per email
 * before the password is checked, so a throttled attacker learns nothing and costs no argon2.
 */
export const signInProcedure = publicProcedure
  .input(ZSignInSchema)
  .output(ZUserSchema)
  .mutation(async ({ ctx, input }) => {
    const { byIp, byEmail } = ctx.app.signInThrottle;
    for (const check of [byIp.hit(`ip:${ctx.ip ?? 'unknown'}`), byEmail.hit(`email:${input.email}`)]) {
      if (!check.allowed) {
        throw new AppError('TOO_MANY_REQUESTS', TOO_MANY, undefined, Math.ceil(check.retryAfterMs / 1000));
      }
    }
    const user = await checkCredentials(ctx.em, input);
    if (ctx.sessionToken) await ctx.app.sessions.invalidate(ctx.sessionToken);
    ctx.setCookie(await ctx.app.sessions.create(user.id, { ip: ctx.ip, userAgent: ctx.userAgent }));
    return toUserDto(user);
  });
