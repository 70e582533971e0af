import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The public keys a secret scanner signs its leak reports with (§11), and the check of a
 * signature. The file named by `LEAK_SCANNER_PUBLIC_KEYS` has the shape GitHub publishes at
 * https://api.github.com/meta/public_keys/secret_scanning, so an operator can save that answer
 * as is: `{"public_keys": [{"key_identifier": "…", "key": "-----BEGIN PUBLIC KEY-----…", "is_current": true}]}`
 * (a bare array of the same objects works too). Every key must be ECDSA on P-256.
 */

const ZPublicKeyEntrySchema = z.object({
  key_identifier: z.string().min(1).max(256),
  key: z.string().min(1).max(10_000),
  is_current: z.boolean().optional(),
});
const ZPublicKeysFileSchema = z.union([
  z.object({ public_keys: z.array(ZPublicKeyEntrySchema) }),
  z.array(ZPublicKeyEntrySchema),
]);

/** Key identifier → public key. */
export type ScannerPublicKeys = ReadonlyMap<string, KeyObject>;

export const NO_SCANNER_KEYS: ScannerPublicKeys = new Map();

/** A file that cannot be used; the message names the variable, the file and what is wrong. */
export class ScannerKeysError extends Error {
  override name = 'ScannerKeysError';
}

/** Parses the keys file's text (exported for tests). */
export function parseScannerPublicKeys(text: string, source = 'LEAK_SCANNER_PUBLIC_KEYS'): ScannerPublicKeys {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ScannerKeysError(`${source}: not valid JSON`);
  }
  const parsed = ZPublicKeysFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ScannerKeysError(
      `${source}: expected {"public_keys": [{"key_identifier", "key"}]} (the shape of GitHub's secret scanning keys)`,
    );
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.public_keys;
  const keys = new Map<string, KeyObject>();
  for (const entry of entries) {
    let key: KeyObject;
    try {
      key = createPublicKey(entry.key);
    } catch {
      throw new ScannerKeysError(`${source}: key ${entry.key_identifier} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new ScannerKeysError(`${source}: key ${entry.key_identifier} is not an ECDSA P-256 key`);
    }
    keys.set(entry.key_identifier, key);
  }
  return keys;
}

/** Reads the file named by `LEAK_SCANNER_PUBLIC_KEYS` at start; no path, no keys. */
export function loadScannerPublicKeys(path: string | undefined): ScannerPublicKeys {
  if (path === undefined) return NO_SCANNER_KEYS;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ScannerKeysError(`LEAK_SCANNER_PUBLIC_KEYS: cannot read ${path} (${reason})`);
  }
  return parseScannerPublicKeys(text, `LEAK_SCANNER_PUBLIC_KEYS (${path})`);
}

export type SignatureCheck = 'valid' | 'unknown_key' | 'bad_signature';

/**
 * Checks `Github-Public-Key-Signature` (base64 of a DER ECDSA signature) over the exact bytes
 * of the request body with the key `Github-Public-Key-Identifier` names.
 */
export function checkScannerSignature(
  keys: ScannerPublicKeys,
  identifier: string,
  signatureBase64: string,
  body: Buffer,
): SignatureCheck {
  const key = keys.get(identifier);
  if (!key) return 'unknown_key';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64) || signatureBase64.length > 200) return 'bad_signature';
  try {
    return verify('sha256', body, key, Buffer.from(signatureBase64, 'base64')) ? 'valid' : 'bad_signature';
  } catch {
    // Not a DER signature at all.
    return 'bad_signature';
  }
}
