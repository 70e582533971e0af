import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../digest.js';
import type { TEnv } from '../../env.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets Keysmith must be able to read back (webhook signing secrets), see
 * docs/decisions/0008-webhook-secret-encryption.md. A sealed value is
 * `v1.<key id>.<iv>.<ciphertext+tag>` (base64url parts). The caller's `context` (e.g. the
 * endpoint id) is authenticated but not stored, so a ciphertext copied onto another row
 * does not open; the key id names the key it was sealed with, so a wrong key is reported
 * as such rather than as corrupt data.
 */
export class SecretBox {
  /** First 8 hex digits of SHA-256 of the key: identifies it without revealing it. */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The encryption key must be 32 bytes');
    this.keyId = sha256Hex(key).slice(0, 8);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, keyId, ivText, bodyText] = sealed.split('.');
    if (version !== VERSION || !ivText || !bodyText) throw new Error('Not a sealed secret');
    if (keyId !== this.keyId) {
      throw new Error(
        `This secret was encrypted with key ${keyId}, but the configured ENCRYPTION_KEY is ${this.keyId}`,
      );
    }
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}

export const ENCRYPTION_KEY_FILE = 'encryption.key';

/** Where the key came from: logged at start so operators know which one is in use. */
export type TEncryptionKeySource = 'ENCRYPTION_KEY' | 'file' | 'ephemeral';

/**
 * The server key: `ENCRYPTION_KEY` when set; in tests without it, a throwaway key; otherwise
 * `DATA_DIR/encryption.key`, created once (mode 0600) and reused. Several processes starting
 * at once agree on one file: each writes a complete temporary file and links it into place,
 * which fails if another got there first, so nobody reads a half-written key. Production with `DATABASE_URL`
 * never gets here without `ENCRYPTION_KEY`: the environment check refuses to start.
 */
export function loadEncryptionKey(env: Pick<TEnv, 'ENCRYPTION_KEY' | 'NODE_ENV' | 'DATA_DIR'>): {
  key: Buffer;
  source: TEncryptionKeySource;
  file?: string;
} {
  if (env.ENCRYPTION_KEY) return { key: Buffer.from(env.ENCRYPTION_KEY, 'base64'), source: 'ENCRYPTION_KEY' };
  if (env.NODE_ENV === 'test') return { key: randomBytes(32), source: 'ephemeral' };
  const file = path.resolve(env.DATA_DIR, ENCRYPTION_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temporary, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a base64-encoded 32-byte key`);
  return { key, source: 'file', file };
}
