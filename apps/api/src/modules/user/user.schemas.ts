import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@keysmith/domain';
import { z } from 'zod';
import { safeText } from '../../http/text-rules.js';

export const ZEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address').max(320));
export const ZPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);
export const ZDisplayNameSchema = safeText(
  z.string().trim().min(1, 'Enter your name').max(128, 'Name is too long'),
);

export const ZSignUpSchema = z.object({
  email: ZEmailSchema,
  password: ZPasswordSchema,
  displayName: ZDisplayNameSchema,
});
export type TSignUp = z.infer<typeof ZSignUpSchema>;

export const ZSignInSchema = z.object({
  email: ZEmailSchema,
  // Any length is accepted here: the check must not reveal the password policy per account.
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type TSignIn = z.infer<typeof ZSignInSchema>;

export const ZChangePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(1024),
  newPassword: ZPasswordSchema,
});

export const ZUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  avatarColor: z.string(),
  initials: z.string(),
});
export type TUser = z.infer<typeof ZUserSchema>;
