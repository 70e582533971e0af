import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCRYPTION_KEY_FILE, loadEncryptionKey, SecretBox } from './secret-box.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ks-secret-box-'));
  dirs.push(dir);
  return dir;
}

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, with a fresh IV each time and no plaintext in the output', () => {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const a = box.seal(secret, 'webhook_endpoint:whk_1');
    const b = box.seal(secret, 'webhook_endpoint:whk_1');
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.slice(6, 20));
    expect(a.startsWith(`v1.${box.keyId}.`)).toBe(true);
    expect(box.open(a, 'webhook_endpoint:whk_1')).toBe(secret);
  });

  it('refuses another context, a tampered ciphertext and another key', () => {
    const sealed = box.seal('whsec_x', 'webhook_endpoint:whk_1');
    expect(() => box.open(sealed, 'webhook_endpoint:whk_2')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() =>
      box.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'webhook_endpoint:whk_1'),
    ).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'webhook_endpoint:whk_1')).toThrow(
      /ENCRYPTION_KEY/,
    );
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('loadEncryptionKey', () => {
  it('uses ENCRYPTION_KEY when set', () => {
    const key = randomBytes(32);
    const loaded = loadEncryptionKey({
      ENCRYPTION_KEY: key.toString('base64'),
      NODE_ENV: 'production',
      DATA_DIR: tempDir(),
    });
    expect(loaded.source).toBe('ENCRYPTION_KEY');
    expect(loaded.key.equals(key)).toBe(true);
  });

  it('otherwise creates DATA_DIR/encryption.key once, mode 0600, and reuses it', () => {
    const dir = path.join(tempDir(), 'nested');
    const first = loadEncryptionKey({ ENCRYPTION_KEY: undefined, NODE_ENV: 'development', DATA_DIR: dir });
    const file = path.join(dir, ENCRYPTION_KEY_FILE);
    expect(first.source).toBe('file');
    expect(first.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first.key)).toBe(true);
    const second = loadEncryptionKey({ ENCRYPTION_KEY: undefined, NODE_ENV: 'production', DATA_DIR: dir });
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('uses a throwaway key in tests, leaving no file behind', () => {
    const dir = tempDir();
    const loaded = loadEncryptionKey({ ENCRYPTION_KEY: undefined, NODE_ENV: 'test', DATA_DIR: dir });
    expect(loaded.source).toBe('ephemeral');
    expect(() => statSync(path.join(dir, ENCRYPTION_KEY_FILE))).toThrow();
  });
});
