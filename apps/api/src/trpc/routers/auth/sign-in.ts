import { signInSubjects } from '../../../auth/attempt-throttle.js';
import { AppError } from '../../../errors.js';
import { ZSignInSchema, ZUserSchema } from '../../../modules/user/user.schemas.js';
import { checkCredentials, toUserDto } from '../../../modules/user/user.service.js';
import { publicProcedure } from '../../trpc.js';

const TOO_MANY = 'Too many sign-in attempts. Try again in a few minutes.';

/**
 * Signs in with email and password. Attempts are throttled per client IP and per (email, IP),
 * across every process, before the password is checked, so a throttled attacker learns nothing
 * and costs no argon2; a stranger hammering an email from one address does not lock its owner
 * out from another (decision 0012). A successful sign-in clears its (email, IP) attempts.
 */
export const signInProcedure = publicProcedure
  .input(ZSignInSchema)
  .output(ZUserSchema)
  .mutation(async ({ ctx, input }) => {
    const { throttle, perIp, perEmailAndIp } = ctx.app.signInThrottle;
    const subjects = signInSubjects(input.email, ctx.ip);
    const now = Date.now();
    for (const [subject, rule] of [
      [subjects.ip, perIp],
      [subjects.emailAndIp, perEmailAndIp],
    ] as const) {
      const check = await throttle.hit(subject, rule, now);
      if (!check.allowed) {
        throw new AppError('TOO_MANY_REQUESTS', TOO_MANY, undefined, Math.ceil(check.retryAfterMs / 1000));
      }
    }
    const user = await checkCredentials(ctx.em, input);
    await throttle.reset(subjects.emailAndIp);
    if (ctx.sessionToken) await ctx.app.sessions.invalidate(ctx.sessionToken);
    ctx.setCookie(await ctx.app.sessions.create(user.id, { ip: ctx.ip, userAgent: ctx.userAgent }));
    return toUserDto(user);
  });
