import { describe, expect, it } from 'vitest';
import { sha256Bytes, sha256Hex } from './digest.js';

describe('sha256Hex / sha256Bytes', () => {
  it('are SHA-256 (FIPS 180-2 test vector), the same digest as hex and as bytes, over text and bytes alike', () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(sha256Hex('abc')).toBe(abc);
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(abc);
    expect(sha256Bytes('abc').toString('hex')).toBe(abc);
    // Text is hashed as UTF-8 (tokens and secrets are ASCII, but nothing relies on it).
    expect(sha256Hex('é')).toBe(sha256Hex(new TextEncoder().encode('é')));
  });
});
