import { encodeBase62 } from './base62.js';
import { CRC32_INITIAL, updateCrc32 as update } from './crc32-core.js';

/**
 * Standard CRC-32 (IEEE, reflected polynomial 0xEDB88320, initial value and final XOR
 * 0xFFFFFFFF) as an unsigned 32-bit integer: `crc32('123456789') === 0xCBF43926`, the same
 * value as zlib's `crc32`. A string is hashed as its UTF-8 bytes (a lone surrogate as U+FFFD,
 * like `TextEncoder`), encoded on the fly so the per-request key check allocates nothing.
 *
 * Not a security measure: it lets a typo or a truncated copy be rejected without a database
 * lookup. CRC-32 detects every error burst of at most 32 bits, hence every single changed
 * character of a key.
 */
export function crc32(input: string | Uint8Array): number {
  let crc = CRC32_INITIAL;
  if (typeof input !== 'string') {
    for (const byte of input) crc = update(crc, byte);
    return (crc ^ CRC32_INITIAL) >>> 0;
  }
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    if (code < 0x80) {
      crc = update(crc, code);
      continue;
    }
    if (code < 0x800) {
      crc = update(crc, 0xc0 | (code >> 6));
      crc = update(crc, 0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = input.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const codePoint = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        crc = update(crc, 0xf0 | (codePoint >> 18));
        crc = update(crc, 0x80 | ((codePoint >> 12) & 0x3f));
        crc = update(crc, 0x80 | ((codePoint >> 6) & 0x3f));
        crc = update(crc, 0x80 | (codePoint & 0x3f));
        i++;
        continue;
      }
      code = 0xfffd;
    }
    crc = update(crc, 0xe0 | (code >> 12));
    crc = update(crc, 0x80 | ((code >> 6) & 0x3f));
    crc = update(crc, 0x80 | (code & 0x3f));
  }
  return (crc ^ CRC32_INITIAL) >>> 0;
}

/**
 * Number of base62 digits of a key checksum. 62^6 ≈ 5.7 × 10^10 > 2^32, so every CRC-32
 * value fits; fixed width lets the parser find the checksum by position.
 */
export const CHECKSUM_LENGTH = 6;

/**
 * The key checksum of §2.1: {@link crc32} of `input` in base62, left-padded with `'0'` to
 * exactly 6 characters (`checksumBase62('123456789') === '3jZRME'`).
 */
export function checksumBase62(input: string): string {
  return encodeBase62(crc32(input), CHECKSUM_LENGTH);
}
