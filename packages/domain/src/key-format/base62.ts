/**
 * The base62 alphabet, in this exact order: digits `0-9`, then uppercase `A-Z`, then
 * lowercase `a-z` (so `'0'` is digit 0, `'A'` is 10, `'a'` is 36, `'z'` is 61). The order is
 * part of the key format: checksums are written as positions in this string, so changing it
 * would invalidate every key already issued.
 */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const BASE = 62;

/**
 * Digit value per ASCII code, -1 for non-digits. A table rather than range checks: the
 * characters of a key are random, so range branches mispredict, and this runs per request.
 */
const DIGIT_VALUES = buildDigitValues();

function buildDigitValues(): Int8Array {
  const values = new Int8Array(128).fill(-1);
  for (let digit = 0; digit < BASE; digit++) values[BASE62_ALPHABET.charCodeAt(digit)] = digit;
  return values;
}

/** The value (0–61) of the base62 digit with UTF-16 unit `code`, or -1 when it is not one. */
export function base62DigitValue(code: number): number {
  return DIGIT_VALUES[code] ?? -1;
}

/** Whether the UTF-16 unit `code` is a base62 digit (the key parser calls it per character). */
export function isBase62CharCode(code: number): boolean {
  return base62DigitValue(code) >= 0;
}

/**
 * Writes a non-negative safe integer in base62, most significant digit first, left-padded
 * with `'0'` to at least `minLength` digits. Padding keeps fixed-width fields (the 6-digit
 * checksum) fixed-width; a value that needs more digits is never truncated.
 */
export function encodeBase62(value: number, minLength = 1): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError('encodeBase62: value must be a non-negative safe integer');
  }
  let digits = '';
  let rest = value;
  do {
    digits = BASE62_ALPHABET.charAt(rest % BASE) + digits;
    rest = Math.floor(rest / BASE);
  } while (rest > 0);
  return digits.padStart(minLength, '0');
}

/**
 * Bytes at or above this value are discarded: 248 = 4 × 62 is the largest multiple of 62 not
 * above 256, so `byte % 62` over the accepted bytes is exactly uniform (rejection sampling).
 */
const UNBIASED_BYTE_LIMIT = 248;
/** `crypto.getRandomValues` refuses more than 65536 bytes per call. */
const MAX_RANDOM_BYTES_PER_CALL = 65536;

/**
 * `length` base62 characters drawn uniformly from the platform CSPRNG
 * (`globalThis.crypto.getRandomValues`, available in Node ≥ 19 and every browser). Each
 * character carries log2(62) ≈ 5.95 bits, so 32 characters carry ≈ 190 bits (§2.1). Uniform
 * because biased bytes are rejected, not folded.
 */
export function randomBase62(length: number): string {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError('randomBase62: length must be a non-negative safe integer');
  }
  let out = '';
  while (out.length < length) {
    const missing = length - out.length;
    // About 3% of bytes are rejected; ask for a little more than needed to usually finish in one call.
    const bytes = new Uint8Array(Math.min(MAX_RANDOM_BYTES_PER_CALL, missing + (missing >> 3) + 4));
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      out += BASE62_ALPHABET.charAt(byte % BASE);
      if (out.length === length) break;
    }
  }
  return out;
}

/** What a public id prefix must look like: lowercase, starting with a letter, no `_`. */
const PUBLIC_ID_PREFIX = /^[a-z][a-z0-9]*$/;

/**
 * A random public identifier `{prefix}_{length base62}`, e.g. `generatePublicId('key')` →
 * `key_7Hq2mX9aBc3dEf4G`. Ids are random rather than sequential so they reveal neither how
 * many rows exist nor when they were made; 16 characters carry ≈ 95 bits, enough that
 * collisions never happen in practice (the database's unique index still guards).
 */
export function generatePublicId(prefix: string, length = 16): string {
  if (!PUBLIC_ID_PREFIX.test(prefix)) {
    throw new RangeError('generatePublicId: prefix must match [a-z][a-z0-9]*');
  }
  if (!Number.isSafeInteger(length) || length < 1) {
    throw new RangeError('generatePublicId: length must be a positive integer');
  }
  return `${prefix}_${randomBase62(length)}`;
}
