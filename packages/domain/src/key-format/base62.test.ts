import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BASE62_ALPHABET,
  base62DigitValue,
  encodeBase62,
  generatePublicId,
  isBase62CharCode,
  randomBase62,
} from './base62.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('BASE62_ALPHABET', () => {
  it('is digits, then uppercase, then lowercase, each once', () => {
    expect(BASE62_ALPHABET).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(new Set(BASE62_ALPHABET).size).toBe(62);
  });

  it('isBase62CharCode agrees with the alphabet on every UTF-16 unit below 0x3000', () => {
    for (let code = 0; code < 0x3000; code++) {
      expect(isBase62CharCode(code), `code ${code}`).toBe(
        BASE62_ALPHABET.includes(String.fromCharCode(code)),
      );
    }
  });
});

describe('encodeBase62', () => {
  it.each([
    [0, 1, '0'],
    [9, 1, '9'],
    [10, 1, 'A'],
    [36, 1, 'a'],
    [61, 1, 'z'],
    [62, 1, '10'],
    [5, 6, '000005'],
    [0xffffffff, 6, '4gfFC3'],
    [62 ** 6, 6, '1000000'],
  ])('encodes %d at width %d as %s', (value, width, expected) => {
    expect(encodeBase62(value, width)).toBe(expected);
  });

  it('round-trips through positional decoding', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (value) => {
        const digits = encodeBase62(value);
        let decoded = 0n;
        for (const ch of digits) decoded = decoded * 62n + BigInt(BASE62_ALPHABET.indexOf(ch));
        expect(decoded).toBe(BigInt(value));
      }),
    );
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects %d', (value) => {
    expect(() => encodeBase62(value)).toThrow(RangeError);
  });
});

describe('randomBase62', () => {
  it('returns exactly the requested number of base62 characters', () => {
    for (const length of [0, 1, 16, 32, 100, 70_000]) {
      const s = randomBase62(length);
      expect(s).toHaveLength(length);
      expect(s).toMatch(/^[0-9A-Za-z]*$/);
    }
  });

  it('rejects bytes 248-255 instead of folding them (no modulo bias)', () => {
    // First call: only biased bytes and then 0, 61, 247 (= 61 + 3*62); later calls: zeros.
    const script = [248, 249, 250, 255, 0, 61, 247];
    let call = 0;
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
      if (array instanceof Uint8Array) {
        array.fill(0);
        if (call++ === 0) array.set(script.slice(0, array.length));
      }
      return array;
    });
    expect(randomBase62(3)).toBe('0zz');
  });

  it('keeps drawing until enough unbiased bytes arrived', () => {
    let call = 0;
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
      if (array instanceof Uint8Array) array.fill(call++ < 3 ? 255 : 10);
      return array;
    });
    expect(randomBase62(4)).toBe('AAAA');
    expect(call).toBe(4);
  });

  it('is roughly uniform over the alphabet', () => {
    const counts = new Map<string, number>();
    const sample = randomBase62(62_000);
    for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 1000 each, standard deviation ≈ 31: ±25% is about 8 standard deviations.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(750);
      expect(count).toBeLessThan(1250);
    }
  });

  it.each([-1, 1.5, Number.POSITIVE_INFINITY])('rejects length %d', (length) => {
    expect(() => randomBase62(length)).toThrow(RangeError);
  });
});

describe('generatePublicId', () => {
  it('is prefix, underscore and 16 base62 characters by default', () => {
    expect(generatePublicId('key')).toMatch(/^key_[0-9A-Za-z]{16}$/);
    expect(generatePublicId('req', 24)).toMatch(/^req_[0-9A-Za-z]{24}$/);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => generatePublicId('key')));
    expect(ids.size).toBe(10_000);
  });

  it.each([
    ['', 16],
    ['Key', 16],
    ['key_', 16],
    ['1key', 16],
    ['key', 0],
    ['key', 2.5],
  ])('rejects prefix %j with length %d', (prefix, length) => {
    expect(() => generatePublicId(prefix, length)).toThrow(RangeError);
  });
});

describe('base62DigitValue', () => {
  it('is the position in the alphabet, or -1', () => {
    for (let code = -1; code < 0x3000; code++) {
      expect(base62DigitValue(code)).toBe(BASE62_ALPHABET.indexOf(String.fromCharCode(code)));
    }
    expect(base62DigitValue(0.5)).toBe(-1);
  });
});
