import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { validateWebhookUrl, webhookTargetPolicy } from './webhook-url.js';

const strict = webhookTargetPolicy({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: false });
const development = webhookTargetPolicy({ NODE_ENV: 'development', WEBHOOK_ALLOW_PRIVATE: false });
const allowPrivate = webhookTargetPolicy({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE: true });

function refusal(url: string, policy = strict): string {
  try {
    validateWebhookUrl(url, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const fields = (error as AppError).fields ?? {};
    expect(Object.keys(fields)).toEqual(['url']);
    return fields.url ?? '';
  }
  throw new Error(`${url} was accepted`);
}

describe('validateWebhookUrl', () => {
  it('accepts public https URLs and drops the fragment', () => {
    expect(validateWebhookUrl('https://hooks.example.com/keysmith?x=1#frag', strict)).toBe(
      'https://hooks.example.com/keysmith?x=1',
    );
    expect(validateWebhookUrl('https://8.8.8.8:8443/in', strict)).toBe('https://8.8.8.8:8443/in');
    expect(validateWebhookUrl('https://[2606:4700:4700::1111]/in', strict)).toBe(
      'https://[2606:4700:4700::1111]/in',
    );
  });

  it('requires https outside development, unless private targets are allowed', () => {
    expect(refusal('http://hooks.example.com/keysmith')).toMatch(/https/);
    expect(validateWebhookUrl('http://hooks.example.com/keysmith', development)).toBe(
      'http://hooks.example.com/keysmith',
    );
    expect(validateWebhookUrl('http://127.0.0.1:4000/in', allowPrivate)).toBe('http://127.0.0.1:4000/in');
  });

  it.each([
    'https://127.0.0.1/in',
    'https://[::1]/in',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.1/in',
    'https://[fd00::1]/in',
    'https://[fe80::1]/in',
    'https://0.0.0.0/in',
    'https://[::]/in',
    'https://[::ffff:127.0.0.1]/in',
    'https://[::ffff:a9fe:a9fe]/in',
    // Legacy spellings the URL parser turns into 127.0.0.1 / 10.0.0.1.
    'https://2130706433/in',
    'https://0x7f.0.0.1/in',
    'https://0177.0.0.1/in',
    'https://10.1/in',
    'https://localhost/in',
    'https://api.localhost./in',
  ])('refuses %s without the allow setting', (url) => {
    expect(refusal(url)).toMatch(/not allowed/);
    expect(refusal(url, development)).toMatch(/not allowed/);
    expect(() => validateWebhookUrl(url, allowPrivate)).not.toThrow();
  });

  it('refuses other schemes, credentials and non-URLs', () => {
    expect(refusal('ftp://hooks.example.com/')).toMatch(/https/);
    expect(refusal('file:///etc/passwd')).toMatch(/https/);
    expect(refusal('hooks.example.com/keysmith')).toMatch(/full URL/);
    expect(refusal('https://user:pass@hooks.example.com/')).toMatch(/Credentials/);
  });
});
