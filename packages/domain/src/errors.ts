import type { QuotaWindowName } from './quota/rolling-window.js';
import type { RateLimitWindowName } from './rate-limit/sliding-window-limiter.js';

/** One row of the §3 verification table. */
export interface VerifyErrorSpec {
  /** Position in the check order: the first failing check answers. */
  readonly order: number;
  readonly code: string;
  readonly status: number;
  /** The `error` string of the body, exactly as §3 words it. */
  readonly error: string;
}

/**
 * The §3 table as data, in check order: the verify pipeline runs the checks in this order and
 * answers with the first failure, and the REST layer writes `{error, code, request_id}` from
 * it. The strings are wire contract (clients match on them): keep them byte-for-byte.
 * `RATE_LIMITED` and `QUOTA_EXCEEDED` carry their default wording; the variant that applies
 * comes from {@link rateLimitedMessage} and {@link quotaExceededMessage}.
 */
export const VERIFY_ERRORS = [
  { order: 1, code: 'IP_BLOCKED', status: 403, error: 'IP temporarily blocked' },
  { order: 2, code: 'MISSING', status: 401, error: 'Missing API Key' },
  { order: 3, code: 'INVALID', status: 401, error: 'Invalid API Key' },
  { order: 4, code: 'REVOKED', status: 401, error: 'Revoked API Key' },
  { order: 5, code: 'INACTIVE', status: 401, error: 'Inactive API Key' },
  { order: 6, code: 'EXPIRED', status: 401, error: 'Expired API Key' },
  { order: 7, code: 'IP_NOT_ALLOWED', status: 403, error: 'IP not allowed' },
  { order: 8, code: 'FORBIDDEN', status: 403, error: 'Insufficient permissions' },
  {
    order: 9,
    code: 'RATE_LIMITED',
    status: 429,
    error: 'exceeded the per-second rate limit on your subscription',
  },
  { order: 10, code: 'QUOTA_EXCEEDED', status: 401, error: 'Rate limit exceeded: quota total' },
] as const satisfies readonly VerifyErrorSpec[];

/** A §3 failure code. */
export type VerifyCode = (typeof VERIFY_ERRORS)[number]['code'];
/** The `code` of a verify answer (§5): `VALID` or a failure code. */
export type VerifyResultCode = 'VALID' | VerifyCode;

/** The §3 row of each code, for lookups by code. */
export const VERIFY_ERROR_BY_CODE = Object.fromEntries(VERIFY_ERRORS.map((row) => [row.code, row])) as {
  readonly [C in VerifyCode]: Extract<(typeof VERIFY_ERRORS)[number], { code: C }>;
};

/** Whether `code` is a §3 failure code. */
export function isVerifyCode(code: string): code is VerifyCode {
  return Object.hasOwn(VERIFY_ERROR_BY_CODE, code);
}

/**
 * The §3 `RATE_LIMITED` string for the window that refused:
 * `exceeded the per-second rate limit on your subscription` or `…per-minute…`.
 */
export function rateLimitedMessage(window: RateLimitWindowName): string {
  return `exceeded the per-${window} rate limit on your subscription`;
}

/** The §3 `QUOTA_EXCEEDED` string for the first exceeded window: `Rate limit exceeded: quota daily`. */
export function quotaExceededMessage(window: QuotaWindowName): string {
  return `Rate limit exceeded: quota ${window}`;
}

/**
 * The other error answers of the REST API (§5), with default `error` strings; callers may
 * pass a more specific message (a `VALIDATION` body also carries `fields`). Codes and
 * statuses are contract.
 */
export const REST_ERRORS = [
  { code: 'VALIDATION', status: 400, error: 'Invalid request' },
  { code: 'NOT_FOUND', status: 404, error: 'Not found' },
  { code: 'CONFLICT', status: 409, error: 'Conflict' },
  { code: 'PAYLOAD_TOO_LARGE', status: 413, error: 'Request body exceeds 1 MiB' },
  { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, error: 'Request body must be JSON' },
  /** `POST /v1/leaks` (§11): a scanner signature header is present but does not verify. */
  { code: 'INVALID_SIGNATURE', status: 401, error: 'Invalid signature' },
] as const satisfies readonly Omit<VerifyErrorSpec, 'order'>[];

/** A §5 non-verify error code. */
export type RestErrorCode = (typeof REST_ERRORS)[number]['code'];

/** The row of each §5 error code, for lookups by code. */
export const REST_ERROR_BY_CODE = Object.fromEntries(REST_ERRORS.map((row) => [row.code, row])) as {
  readonly [C in RestErrorCode]: Extract<(typeof REST_ERRORS)[number], { code: C }>;
};

/** Every error code an API answer may carry. */
export type ApiErrorCode = VerifyCode | RestErrorCode;

/** The JSON body of every error answer (§3, §5). */
export interface ApiErrorBody {
  readonly error: string;
  readonly code: ApiErrorCode;
  readonly request_id: string;
  /** Only for `VALIDATION`: field path → message. */
  readonly fields?: { readonly [field: string]: string };
}
