import { ZSignUpSchema, ZUserSchema } from '../../../modules/user/user.schemas.js';
import { signUp, toUserDto } from '../../../modules/user/user.service.js';
import { publicProcedure } from '../../trpc.js';

/** Creates an account and signs it in. */
export const signUpProcedure = publicProcedure
  .input(ZSignUpSchema)
  .output(ZUserSchema)
  .mutation(async ({ ctx, input }) => {
    const user = await signUp(ctx.em, input);
    ctx.setCookie(await ctx.app.sessions.create(user.id, { ip: ctx.ip, userAgent: ctx.userAgent }));
    return toUserDto(user);
  });
