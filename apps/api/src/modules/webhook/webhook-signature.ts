import { createHmac } from 'node:crypto';

/**
 * The `Keysmith-Signature` header of one delivery attempt: `t=<unix seconds>` and one
 * `v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` per secret in use (two while a rotated
 * secret is still honoured). Receivers check it with the documented snippet
 * (`verify-signature.example.ts`, docs/webhooks.md).
 */
export function signatureHeader(secrets: readonly string[], body: string, timestampSeconds: number): string {
  const signed = `${timestampSeconds}.${body}`;
  const v1 = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(signed).digest('hex')}`);
  return [`t=${timestampSeconds}`, ...v1].join(',');
}
