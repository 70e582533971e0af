import { VERIFY_ERRORS } from '@keysmith/domain';
import type { BadgeTone } from '../../components';
import type { LogCode } from './usage-types';

/**
 * How request log rows read: outcome codes in words with a tone, HTTP statuses by class.
 * `VALID` plus every §3 code, in the §3 order, so the filter lists them as the API checks them.
 */
export const LOG_CODES: readonly LogCode[] = ['VALID', ...VERIFY_ERRORS.map((error) => error.code)];

export const LOG_CODE_LABEL: Record<LogCode, string> = {
  VALID: 'Valid',
  IP_BLOCKED: 'IP blocked',
  MISSING: 'Missing key',
  INVALID: 'Invalid key',
  REVOKED: 'Revoked',
  INACTIVE: 'Inactive',
  EXPIRED: 'Expired',
  IP_NOT_ALLOWED: 'IP not allowed',
  FORBIDDEN: 'Missing scope',
  RATE_LIMITED: 'Rate limited',
  QUOTA_EXCEEDED: 'Quota exceeded',
};

export function isLogCode(value: string): value is LogCode {
  return (LOG_CODES as readonly string[]).includes(value);
}

export function logCodeTone(code: string): BadgeTone {
  if (code === 'VALID') return 'success';
  if (code === 'RATE_LIMITED' || code === 'QUOTA_EXCEEDED') return 'warning';
  return 'danger';
}

export function logCodeLabel(code: string): string {
  return isLogCode(code) ? LOG_CODE_LABEL[code] : code;
}

/** The statuses the API answers with (§3, §5), for the status filter. */
export const LOG_STATUSES: ReadonlyArray<{ status: number; label: string }> = [
  { status: 200, label: '200 OK' },
  { status: 201, label: '201 Created' },
  { status: 400, label: '400 Bad request' },
  { status: 401, label: '401 Unauthorized' },
  { status: 403, label: '403 Forbidden' },
  { status: 404, label: '404 Not found' },
  { status: 409, label: '409 Conflict' },
  { status: 429, label: '429 Too many' },
];

export function statusTone(status: number): 'ok' | 'client' | 'limit' | 'server' {
  if (status < 400) return 'ok';
  if (status === 429) return 'limit';
  if (status < 500) return 'client';
  return 'server';
}

/** "12 ms", "0.4 ms", "1.2 s". */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
