import { hash } from 'node:crypto';

/**
 * SHA-256, hex: the one digest Keysmith stores in place of a secret (a key's secret part, a
 * session token, an invitation token), and names content by (a logo's file name, an encryption
 * key's id). One-shot `crypto.hash` costs about half of a `createHash` object
 * per call (measured on the verify path: 0.83 vs 1.57 µs).
 */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** {@link sha256Hex} as raw bytes, for `timingSafeEqual` against a stored hash. */
export function sha256Bytes(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}
