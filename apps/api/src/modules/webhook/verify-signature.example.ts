import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies a Keysmith webhook request.
 *
 * - `rawBody`: the request body exactly as received, before any JSON parsing.
 * - `header`: the `Keysmith-Signature` header, `t=<unix seconds>,v1=<hex HMAC-SHA256>`
 *   (more than one `v1` while a secret is being rotated).
 * - `secret`: the endpoint's signing secret, `whsec_…`, used as the HMAC key as is.
 *
 * Requests signed more than `toleranceSeconds` ago (or ahead) are refused, so a captured
 * request cannot be replayed later.
 */
export function verifyKeysmithSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=');
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = value;
    if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  return signatures.some((signature) => timingSafeEqual(signature, expected));
}
