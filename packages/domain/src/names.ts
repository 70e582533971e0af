/**
 * Validation rules for user-entered names, shared by the API (which enforces them) and the
 * admin SPA (which shows the same rules before a round trip). Lengths count Unicode code
 * points, which is what users and PostgreSQL `varchar(n)` count, not UTF-16 units.
 */

/** Shortest API key name, counted after trimming: a name must say something. */
export const KEY_NAME_MIN_LENGTH = 1;
/** Longest API key name in code points (§2). */
export const KEY_NAME_MAX_LENGTH = 128;
/** Longest API key description in code points (§2). */
export const KEY_DESCRIPTION_MAX_LENGTH = 1024;

/** Number of Unicode code points in `s` (a surrogate pair counts once). */
function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Whether `name` is acceptable as an API key name: 1–128 code points after trimming, so a
 * name of only spaces is rejected. The API stores the trimmed name; uniqueness per
 * organization is case-insensitive and checked by the API, not here.
 */
export function isValidKeyName(name: string): boolean {
  const length = codePointLength(name.trim());
  return length >= KEY_NAME_MIN_LENGTH && length <= KEY_NAME_MAX_LENGTH;
}

/** Whether `description` fits the 1024 code-point limit (an empty description is allowed). */
export function isValidKeyDescription(description: string): boolean {
  return codePointLength(description) <= KEY_DESCRIPTION_MAX_LENGTH;
}

/** The categories every organization has; any other label matching {@link CATEGORY_REGEX} is allowed too. */
export const BUILTIN_CATEGORIES = ['production', 'development', 'staging'] as const;
/** One of {@link BUILTIN_CATEGORIES}. */
export type BuiltinCategory = (typeof BUILTIN_CATEGORIES)[number];

/** A key category label (§2): 1–32 of lowercase letters, digits and `-`. Anchored, no flags. */
export const CATEGORY_REGEX = /^[a-z0-9-]{1,32}$/;

/** Whether `category` is a valid built-in or custom category label. */
export function isValidCategory(category: string): boolean {
  return CATEGORY_REGEX.test(category);
}

/**
 * An organization's key prefix (§1, §2.1): a lowercase letter then 1–7 lowercase letters or
 * digits. It is the first segment of every key, so it must never contain `_`, which separates
 * the key's segments. Anchored, no flags.
 */
export const KEY_PREFIX_REGEX = /^[a-z][a-z0-9]{1,7}$/;
/** The prefix a new organization gets (§1). */
export const DEFAULT_KEY_PREFIX = 'sk';

/** Whether `prefix` is a valid organization key prefix. */
export function isValidKeyPrefix(prefix: string): boolean {
  return KEY_PREFIX_REGEX.test(prefix);
}

/**
 * A URL slug for organizations and spaces: lowercase alphanumeric words joined by single
 * hyphens, no leading or trailing hyphen. Length is checked separately
 * ({@link SLUG_MIN_LENGTH}–{@link SLUG_MAX_LENGTH}). Anchored, no flags.
 */
export const SLUG_REGEX = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Shortest slug. */
export const SLUG_MIN_LENGTH = 2;
/** Longest slug. */
export const SLUG_MAX_LENGTH = 48;

/** Whether `slug` matches {@link SLUG_REGEX} and is 2–48 characters long. */
export function isValidSlug(slug: string): boolean {
  return slug.length >= SLUG_MIN_LENGTH && slug.length <= SLUG_MAX_LENGTH && SLUG_REGEX.test(slug);
}

/**
 * Suggests a slug for a display name: accents are stripped (`Café` → `cafe`), everything that
 * is not an ASCII letter or digit becomes a single hyphen, and the result is cut to 48
 * characters, at a word boundary when one lies in the second half. The result always matches
 * {@link SLUG_REGEX} or is empty, but may be shorter than {@link SLUG_MIN_LENGTH} (`''` for
 * `日本`, `'a'` for `A`): callers must check {@link isValidSlug} and ask the user when it fails.
 */
export function slugify(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const hyphenated = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .replace(/-+$/, '');
  if (hyphenated.length <= SLUG_MAX_LENGTH) return hyphenated;
  // Cut at the last word boundary that fits, unless that would leave less than half.
  const head = hyphenated.slice(0, SLUG_MAX_LENGTH + 1);
  const boundary = head.lastIndexOf('-');
  return boundary >= SLUG_MAX_LENGTH / 2
    ? head.slice(0, boundary)
    : head.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, '');
}

/** Shortest accepted password (NIST SP 800-63B minimum). */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest accepted password: bounds the cost of hashing attacker-supplied input. */
export const PASSWORD_MAX_LENGTH = 128;

/** Whether `password` has 8–128 code points. Strength beyond length is not judged here. */
export function isValidPasswordLength(password: string): boolean {
  const length = codePointLength(password);
  return length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
}

/**
 * Initials for an avatar or logo: the first character of the first and of the last word,
 * upper-cased (`Ada Lovelace` → `AL`, `Keysmith` → `K`, `mary-jane watson` → `MW`). Words are
 * separated by whitespace, `-`, `_` or `.`; characters are whole code points, so an emoji is
 * never split. Returns `?` when there is nothing to take initials from.
 */
export function initialsOf(name: string): string {
  const words = name.split(/[\s\-_.]+/u).filter((word) => word.length > 0);
  const first = words[0];
  if (first === undefined) return '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return (firstCodePoint(first) + (last === undefined ? '' : firstCodePoint(last))).toUpperCase();
}

function firstCodePoint(word: string): string {
  for (const ch of word) return ch;
  return '';
}

/**
 * Eight avatar/logo background colours. Each keeps white initials readable (contrast ratio
 * ≥ 4.5:1). The order is fixed: {@link avatarColorFor} indexes into it, so reordering would
 * change every user's colour.
 */
export const AVATAR_PALETTE = [
  '#4F46E5', // indigo
  '#0F766E', // teal
  '#B45309', // amber
  '#BE185D', // pink
  '#6D28D9', // violet
  '#1D4ED8', // blue
  '#047857', // emerald
  '#B91C1C', // red
] as const;

/** One of {@link AVATAR_PALETTE}. */
export type AvatarColor = (typeof AVATAR_PALETTE)[number];

/**
 * A deterministic colour for `seed` (a user or space id, or an email), so the same entity has
 * the same colour in every browser and in the API's stored avatar. Uses 32-bit FNV-1a over
 * UTF-16 units: stable across platforms and versions.
 */
export function avatarColorFor(seed: string): AvatarColor {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  const index = (hash >>> 0) % AVATAR_PALETTE.length;
  return AVATAR_PALETTE[index] ?? AVATAR_PALETTE[0];
}
