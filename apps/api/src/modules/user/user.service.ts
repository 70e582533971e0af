import { avatarColorFor, initialsOf } from '@keysmith/domain';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError, isUniqueViolation } from '../../errors.js';
import { User } from './user.entity.js';
import type { TSignIn, TSignUp, TUser } from './user.schemas.js';

/** The one message for an unknown email and a wrong password: sign-in must not reveal accounts. */
export const INVALID_CREDENTIALS = 'Incorrect email or password';

export function toUserDto(user: Pick<User, 'id' | 'email' | 'displayName' | 'avatarColor'>): TUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    avatarColor: user.avatarColor,
    initials: initialsOf(user.displayName),
  };
}

export async function signUp(em: Em, input: TSignUp): Promise<User> {
  const emailNormalized = input.email.toLowerCase();
  const existing = await em.count(User, { emailNormalized });
  if (existing > 0) throw AppError.field('CONFLICT', 'email', 'An account with this email already exists');
  const user = em.create(User, {
    id: newId('usr'),
    email: input.email,
    emailNormalized,
    displayName: input.displayName,
    avatarColor: avatarColorFor(emailNormalized),
    passwordHash: await hashPassword(input.password),
  });
  try {
    await em.flush();
  } catch (error) {
    if (isUniqueViolation(error))
      throw AppError.field('CONFLICT', 'email', 'An account with this email already exists');
    throw error;
  }
  return user;
}

/** Checks credentials; always spends one argon2 verification, found or not. */
export async function checkCredentials(em: Em, input: TSignIn): Promise<User> {
  const user = await em.findOne(
    User,
    { emailNormalized: input.email.toLowerCase() },
    { populate: ['passwordHash'] },
  );
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) throw new AppError('UNAUTHORIZED', INVALID_CREDENTIALS);
  return user;
}

export async function changePassword(em: Em, userId: string, current: string, next: string): Promise<void> {
  const user = await em.findOneOrFail(User, { id: userId }, { populate: ['passwordHash'] });
  if (!(await verifyPassword(user.passwordHash, current))) {
    throw AppError.field('BAD_REQUEST', 'currentPassword', 'Current password is incorrect');
  }
  user.passwordHash = await hashPassword(next);
  await em.flush();
}
