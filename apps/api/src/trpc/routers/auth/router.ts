import { router } from '../../trpc.js';
import { changePasswordProcedure } from './change-password.js';
import { meProcedure } from './me.js';
import { signInProcedure } from './sign-in.js';
import { signOutProcedure } from './sign-out.js';
import { signUpProcedure } from './sign-up.js';

export const authRouter = router({
  signUp: signUpProcedure,
  signIn: signInProcedure,
  signOut: signOutProcedure,
  me: meProcedure,
  changePassword: changePasswordProcedure,
});
