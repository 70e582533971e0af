import { describe, expect, it } from 'vitest';
import {
  isVerifyCode,
  quotaExceededMessage,
  REST_ERROR_BY_CODE,
  REST_ERRORS,
  rateLimitedMessage,
  VERIFY_ERROR_BY_CODE,
  VERIFY_ERRORS,
} from './errors.js';

describe('VERIFY_ERRORS', () => {
  it('is the §3 table, row by row', () => {
    expect(VERIFY_ERRORS.map(({ order, status, error, code }) => [order, status, error, code])).toEqual([
      [1, 403, 'IP temporarily blocked', 'IP_BLOCKED'],
      [2, 401, 'Missing API Key', 'MISSING'],
      [3, 401, 'Invalid API Key', 'INVALID'],
      [4, 401, 'Revoked API Key', 'REVOKED'],
      [5, 401, 'Inactive API Key', 'INACTIVE'],
      [6, 401, 'Expired API Key', 'EXPIRED'],
      [7, 403, 'IP not allowed', 'IP_NOT_ALLOWED'],
      [8, 403, 'Insufficient permissions', 'FORBIDDEN'],
      [9, 429, 'exceeded the per-second rate limit on your subscription', 'RATE_LIMITED'],
      [10, 401, 'Rate limit exceeded: quota total', 'QUOTA_EXCEEDED'],
    ]);
  });

  it('is in strictly increasing check order with unique codes', () => {
    for (let i = 1; i < VERIFY_ERRORS.length; i++) {
      expect(VERIFY_ERRORS[i]?.order).toBeGreaterThan(
        VERIFY_ERRORS[i - 1]?.order ?? Number.POSITIVE_INFINITY,
      );
    }
    expect(new Set(VERIFY_ERRORS.map((row) => row.code)).size).toBe(VERIFY_ERRORS.length);
  });

  it('can be looked up by code', () => {
    for (const row of VERIFY_ERRORS) expect(VERIFY_ERROR_BY_CODE[row.code]).toBe(row);
    expect(VERIFY_ERROR_BY_CODE.REVOKED.status).toBe(401);
    expect(isVerifyCode('EXPIRED')).toBe(true);
    expect(isVerifyCode('VALID')).toBe(false);
    expect(isVerifyCode('toString')).toBe(false);
  });
});

describe('messages', () => {
  it('words the rate-limit message exactly as §3', () => {
    expect(rateLimitedMessage('second')).toBe('exceeded the per-second rate limit on your subscription');
    expect(rateLimitedMessage('minute')).toBe('exceeded the per-minute rate limit on your subscription');
  });

  it.each(['total', 'daily', 'weekly', 'monthly'] as const)(
    'words the %s quota message exactly as §3',
    (window) => {
      expect(quotaExceededMessage(window)).toBe(`Rate limit exceeded: quota ${window}`);
    },
  );

  it('uses the default variants in the table', () => {
    expect(VERIFY_ERROR_BY_CODE.RATE_LIMITED.error).toBe(rateLimitedMessage('second'));
    expect(VERIFY_ERROR_BY_CODE.QUOTA_EXCEEDED.error).toBe(quotaExceededMessage('total'));
  });
});

describe('REST_ERRORS', () => {
  it('carries the §5 codes and statuses', () => {
    expect(REST_ERRORS.map(({ code, status }) => [code, status])).toEqual([
      ['VALIDATION', 400],
      ['NOT_FOUND', 404],
      ['CONFLICT', 409],
      ['PAYLOAD_TOO_LARGE', 413],
      ['UNSUPPORTED_MEDIA_TYPE', 415],
      ['INVALID_SIGNATURE', 401],
    ]);
    for (const row of REST_ERRORS) expect(REST_ERROR_BY_CODE[row.code]).toBe(row);
  });

  it('shares no code with the verify table', () => {
    for (const row of REST_ERRORS) expect(isVerifyCode(row.code)).toBe(false);
  });
});
