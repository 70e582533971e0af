import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET } from './base62.js';
import { CHECKSUM_LENGTH, checksumBase62, crc32 } from './crc32.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32', () => {
  it.each([
    ['', 0],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
    ['héllo wörld €𝄞', 0xde5d4e28],
  ])('crc32(%j) = %i', (input, expected) => {
    expect(crc32(input)).toBe(expected);
    expect(crc32(utf8(input))).toBe(expected);
  });

  it('equals zlib crc32 over the UTF-8 bytes of any string, astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(crc32(s)).toBe(zlibCrc32(Buffer.from(s, 'utf8')));
      }),
      { numRuns: 500 },
    );
  });

  it('hashes lone surrogates as U+FFFD, like TextEncoder', () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 50 }), (s) => {
        expect(crc32(s)).toBe(zlibCrc32(utf8(s)));
      }),
      { numRuns: 500 },
    );
    expect(crc32('\ud800')).toBe(crc32('\ufffd'));
    expect(crc32('a\udc00b')).toBe(crc32('a\ufffdb'));
  });

  it('is an unsigned 32-bit integer', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const value = crc32(s);
        expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
      }),
    );
  });
});

describe('checksumBase62', () => {
  it('encodes the CRC in base62, left-padded to 6 characters', () => {
    expect(checksumBase62('123456789')).toBe('3jZRME');
    // crc32('x831') = 165453, which needs only 3 digits.
    expect(crc32('x831')).toBe(165453);
    expect(checksumBase62('x831')).toBe('000h2b');
  });

  it('is always 6 base62 digits whose value is the CRC', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const checksum = checksumBase62(s);
        expect(checksum).toHaveLength(CHECKSUM_LENGTH);
        let value = 0;
        for (const ch of checksum) value = value * 62 + BASE62_ALPHABET.indexOf(ch);
        expect(value).toBe(crc32(s));
      }),
    );
  });
});
