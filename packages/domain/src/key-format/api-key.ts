import { KEY_PREFIX_REGEX } from '../names.js';
import { base62DigitValue, isBase62CharCode, randomBase62 } from './base62.js';
import { CHECKSUM_LENGTH, checksumBase62 } from './crc32.js';
import { crc32OfAsciiRange } from './crc32-core.js';

/** The two key environments (§2.1); the segment after the prefix. */
export const API_KEY_ENVIRONMENTS = ['live', 'test'] as const;
/** `live` or `test`. */
export type ApiKeyEnvironment = (typeof API_KEY_ENVIRONMENTS)[number];

/** Length of the random public part of a key; the key's id is `key_` + these characters. */
export const KEY_ID_LENGTH = 16;
/** Length of the secret: 32 base62 characters ≈ 190 bits from the CSPRNG (§2.1). */
export const KEY_SECRET_LENGTH = 32;
/** Prefix of a key's public id (`key_` + id16). */
export const KEY_ID_PREFIX = 'key_';

const PREFIX_MIN_LENGTH = 2;
const PREFIX_MAX_LENGTH = 8;
const ENVIRONMENT_LENGTH = 4;
/** Everything after the prefix: `_` env `_` id16 `.` secret32 crc6. */
const TAIL_LENGTH = 1 + ENVIRONMENT_LENGTH + 1 + KEY_ID_LENGTH + 1 + KEY_SECRET_LENGTH + CHECKSUM_LENGTH;

/** Length of the shortest valid key (2-character prefix): 63. */
export const API_KEY_MIN_LENGTH = PREFIX_MIN_LENGTH + TAIL_LENGTH;
/**
 * Length of the longest valid key (8-character prefix): 69. {@link parseApiKey} rejects
 * anything longer as `TOO_LONG` before looking at a single character.
 */
export const API_KEY_MAX_LENGTH = PREFIX_MAX_LENGTH + TAIL_LENGTH;

/**
 * The published regex for secret scanners (GitHub secret scanning, gitleaks, trufflehog):
 * `\b[a-z][a-z0-9]{1,7}_(live|test)_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}\b`. The last 38
 * characters are the secret and the checksum together; a scanner can confirm a hit by
 * checking the checksum ({@link parseApiKey}) and so report almost no false positives.
 * Deliberately without the `g` flag: a global regex carries `lastIndex` between calls, a
 * classic shared-state bug. Every quantifier is bounded, so matching is linear.
 */
export const KEYSMITH_KEY_REGEX = /\b[a-z][a-z0-9]{1,7}_(live|test)_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}\b/;

/**
 * {@link KEYSMITH_KEY_REGEX} anchored to the whole string (`^…$`): matches exactly the
 * strings with the shape of a key (the checksum is not checked; use {@link parseApiKey}).
 */
export const KEYSMITH_KEY_PATTERN = /^[a-z][a-z0-9]{1,7}_(live|test)_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}$/;

/** A freshly generated key. `key` is shown to the user exactly once and never stored. */
export interface GeneratedApiKey {
  /** The full key `{prefix}_{env}_{id16}.{secret32}{crc6}`: return it once, never log or store it. */
  readonly key: string;
  /** The public id, `key_` + id16: the primary key of the stored record. */
  readonly keyId: string;
  /** The 16 random base62 characters of the id. */
  readonly id16: string;
  /** The 32-character secret: store only its SHA-256. */
  readonly secret: string;
  /** The redacted preview ({@link redactApiKey}), safe to store and show. */
  readonly preview: string;
}

/** The parts of a key that parsed and whose checksum matched. */
export interface ParsedApiKey {
  /** The organization's key prefix (`sk`). */
  readonly prefix: string;
  readonly environment: ApiKeyEnvironment;
  /** The 16 base62 characters after the environment. */
  readonly id16: string;
  /** `key_` + id16: the id to look the key up by. */
  readonly keyId: string;
  /** The 32-character secret, to hash and compare in constant time with the stored hash. */
  readonly secret: string;
  /** The 6-character checksum (already verified). */
  readonly checksum: string;
}

/**
 * Why a string is not a key. `EMPTY`: the empty string. `TOO_LONG`: longer than
 * {@link API_KEY_MAX_LENGTH}. `MALFORMED`: wrong shape. `BAD_CHECKSUM`: right shape but the
 * checksum does not match (a typo, a truncated or forged key). All four answer
 * `Invalid API Key` (§3) without a database lookup.
 */
export type ApiKeyParseFailure = 'EMPTY' | 'TOO_LONG' | 'MALFORMED' | 'BAD_CHECKSUM';

/** Result of {@link parseApiKey}. */
export type ApiKeyParseResult =
  | { readonly ok: true; readonly key: ParsedApiKey }
  | { readonly ok: false; readonly reason: ApiKeyParseFailure };

const FAILURES: { readonly [R in ApiKeyParseFailure]: ApiKeyParseResult } = {
  EMPTY: Object.freeze({ ok: false, reason: 'EMPTY' }),
  TOO_LONG: Object.freeze({ ok: false, reason: 'TOO_LONG' }),
  MALFORMED: Object.freeze({ ok: false, reason: 'MALFORMED' }),
  BAD_CHECKSUM: Object.freeze({ ok: false, reason: 'BAD_CHECKSUM' }),
};

const UNDERSCORE = 0x5f;
const DOT = 0x2e;

function isLowerOrDigit(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

function allBase62(input: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (!isBase62CharCode(input.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * Parses a presented key and verifies its checksum. Runs on every request, so it is a single
 * linear scan with fixed offsets (the prefix length follows from the total length), no regex
 * and no allocation on failure; inputs longer than {@link API_KEY_MAX_LENGTH} are refused
 * before any character is read. The input is taken as is: callers strip `Bearer ` and
 * surrounding whitespace. A successful parse says nothing about whether the key exists.
 */
export function parseApiKey(input: string): ApiKeyParseResult {
  if (typeof input !== 'string') return FAILURES.MALFORMED;
  const length = input.length;
  if (length === 0) return FAILURES.EMPTY;
  if (length > API_KEY_MAX_LENGTH) return FAILURES.TOO_LONG;
  if (length < API_KEY_MIN_LENGTH) return FAILURES.MALFORMED;

  const prefixEnd = length - TAIL_LENGTH;
  const first = input.charCodeAt(0);
  if (first < 97 || first > 122) return FAILURES.MALFORMED;
  for (let i = 1; i < prefixEnd; i++) {
    if (!isLowerOrDigit(input.charCodeAt(i))) return FAILURES.MALFORMED;
  }
  if (input.charCodeAt(prefixEnd) !== UNDERSCORE) return FAILURES.MALFORMED;

  const envStart = prefixEnd + 1;
  const envEnd = envStart + ENVIRONMENT_LENGTH;
  const environment = input.startsWith('live', envStart)
    ? 'live'
    : input.startsWith('test', envStart)
      ? 'test'
      : null;
  if (environment === null || input.charCodeAt(envEnd) !== UNDERSCORE) return FAILURES.MALFORMED;

  const idStart = envEnd + 1;
  const idEnd = idStart + KEY_ID_LENGTH;
  if (!allBase62(input, idStart, idEnd) || input.charCodeAt(idEnd) !== DOT) return FAILURES.MALFORMED;

  const secretStart = idEnd + 1;
  const checksumStart = secretStart + KEY_SECRET_LENGTH;
  if (!allBase62(input, secretStart, length)) return FAILURES.MALFORMED;

  // Compare numerically: no slice or encoding on the hot path. Six base62 digits can exceed
  // 2^32, and such a value never equals a CRC, so it fails as it should.
  let written = 0;
  for (let i = checksumStart; i < length; i++) written = written * 62 + base62DigitValue(input.charCodeAt(i));
  if (written !== crc32OfAsciiRange(input, 0, checksumStart)) return FAILURES.BAD_CHECKSUM;

  const id16 = input.slice(idStart, idEnd);
  return {
    ok: true,
    key: {
      prefix: input.slice(0, prefixEnd),
      environment,
      id16,
      keyId: KEY_ID_PREFIX + id16,
      secret: input.slice(secretStart, checksumStart),
      checksum: input.slice(checksumStart),
    },
  };
}

/** Number of characters of the id and of the key's end that a preview shows. */
const PREVIEW_SHOWN = 4;

function previewOf(prefix: string, environment: ApiKeyEnvironment, id16: string, checksum: string): string {
  return `${prefix}_${environment}_${id16.slice(0, PREVIEW_SHOWN)}...${checksum.slice(-PREVIEW_SHOWN)}`;
}

/**
 * The redacted preview of §2.1: `{prefix}_{env}_` + the first 4 characters of the id + `...`
 * + the last 4 characters of the key, e.g. `sk_live_7Hq2...e2Rr`. The last 4 characters lie
 * inside the 6-character checksum, so a preview contains no character of the secret. Throws
 * a `TypeError` (whose message does not echo the input) for a string that is not a valid
 * key, rather than guess at a preview that might leak part of a secret.
 */
export function redactApiKey(key: string): string {
  const parsed = parseApiKey(key);
  if (!parsed.ok) throw new TypeError(`redactApiKey: not a valid Keysmith API key (${parsed.reason})`);
  const { prefix, environment, id16, checksum } = parsed.key;
  return previewOf(prefix, environment, id16, checksum);
}

/** What {@link generateApiKey} needs: the organization's prefix and the key's environment. */
export interface GenerateApiKeyOptions {
  /** The organization's key prefix, matching `[a-z][a-z0-9]{1,7}`. */
  readonly prefix: string;
  readonly environment: ApiKeyEnvironment;
}

/**
 * Generates a new key `{prefix}_{env}_{id16}.{secret32}{crc6}` with id and secret from the
 * CSPRNG. Throws a `RangeError` for an invalid prefix or environment, because a key that
 * could not be parsed back would be useless. Uniqueness of `keyId` is left to the database's
 * unique index (≈ 95 random bits).
 */
export function generateApiKey(options: GenerateApiKeyOptions): GeneratedApiKey {
  const { prefix, environment } = options;
  if (!KEY_PREFIX_REGEX.test(prefix)) {
    throw new RangeError('generateApiKey: prefix must match [a-z][a-z0-9]{1,7}');
  }
  if (environment !== 'live' && environment !== 'test') {
    throw new RangeError("generateApiKey: environment must be 'live' or 'test'");
  }
  const id16 = randomBase62(KEY_ID_LENGTH);
  const secret = randomBase62(KEY_SECRET_LENGTH);
  const body = `${prefix}_${environment}_${id16}.${secret}`;
  const checksum = checksumBase62(body);
  return {
    key: body + checksum,
    keyId: KEY_ID_PREFIX + id16,
    id16,
    secret,
    preview: previewOf(prefix, environment, id16, checksum),
  };
}

/** A key found in free text by {@link findApiKeysInText}. */
export interface FoundApiKey {
  /** The matched key exactly as it appears in the text. */
  readonly text: string;
  /** Offset of the match in the searched text (UTF-16 units). */
  readonly index: number;
  readonly key: ParsedApiKey;
}

/**
 * Finds every key in `text` (a paste, a log line, a file) that has the shape of
 * {@link KEYSMITH_KEY_REGEX} and a valid checksum, in order of appearance; candidates with a
 * wrong checksum are dropped, so random 38-character strings are not reported. Linear in the
 * length of `text`.
 */
export function findApiKeysInText(text: string): FoundApiKey[] {
  const found: FoundApiKey[] = [];
  const scanner = new RegExp(KEYSMITH_KEY_REGEX.source, 'g');
  for (const match of text.matchAll(scanner)) {
    const candidate = match[0];
    const parsed = parseApiKey(candidate);
    if (parsed.ok) found.push({ text: candidate, index: match.index, key: parsed.key });
  }
  return found;
}
