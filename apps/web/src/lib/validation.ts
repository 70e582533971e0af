import {
  isValidPasswordLength,
  isValidSlug,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  SLUG_MAX_LENGTH,
  SLUG_MIN_LENGTH,
  SLUG_REGEX,
} from '@keysmith/domain';

/**
 * Client-side checks that mirror the server's rules (same limits from the domain package,
 * same wording as the API), so most mistakes are caught before a round trip. The server
 * still validates everything; its field messages replace these when they differ.
 * Each validator returns the message to show under the field, or `null` when valid.
 */

/** Roughly "something@something.tld"; the server has the final word. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(value: string): string | null {
  const email = value.trim();
  if (email.length === 0) return 'Enter your email address';
  if (email.length > 320 || !EMAIL_SHAPE.test(email)) return 'Enter a valid email address';
  return null;
}

/** A password being chosen (sign-up, change password): 8–128 characters. */
export function validateNewPassword(value: string): string | null {
  if (value.length === 0) return 'Choose a password';
  if (isValidPasswordLength(value)) return null;
  return [...value].length < PASSWORD_MIN_LENGTH
    ? `Password must be at least ${PASSWORD_MIN_LENGTH} characters`
    : `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
}

/** A password being entered to sign in: only presence is checked, never the policy. */
export function validateExistingPassword(value: string, message = 'Enter your password'): string | null {
  return value.length === 0 ? message : null;
}

export function validateRequired(value: string, message: string, maxLength = 128): string | null {
  const trimmed = value.trim();
  if (trimmed.length === 0) return message;
  if ([...trimmed].length > maxLength) return `Must be at most ${maxLength} characters`;
  return null;
}

export function validateSlug(value: string): string | null {
  const slug = value.trim();
  if (slug.length === 0) return 'Enter a URL slug';
  if (isValidSlug(slug)) return null;
  if (slug.length < SLUG_MIN_LENGTH) return `Slug must be at least ${SLUG_MIN_LENGTH} characters`;
  if (slug.length > SLUG_MAX_LENGTH) return `Slug must be at most ${SLUG_MAX_LENGTH} characters`;
  if (!SLUG_REGEX.test(slug)) return 'Use lowercase letters, digits and single dashes';
  return null;
}

/** The errors of a form, keyed by field name; a field without an entry is valid. */
export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** Runs one validator per field and keeps only the failures. */
export function collectErrors<F extends string>(checks: Record<F, string | null>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const field of Object.keys(checks) as F[]) {
    const message = checks[field];
    if (message) errors[field] = message;
  }
  return errors;
}

export function hasErrors<F extends string>(errors: FieldErrors<F>): boolean {
  return Object.keys(errors).length > 0;
}
