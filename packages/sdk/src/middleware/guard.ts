import {
  canonicalIp,
  generatePublicId,
  hasScopes,
  isValidScope,
  isVerifyCode,
  parseApiKey,
  QUOTA_WINDOW_NAMES,
  quotaExceededMessage,
  rateLimitedMessage,
  VERIFY_ERROR_BY_CODE,
  type VerifyCode,
} from '@keysmith/domain';
import type { Keysmith } from '../client.js';
import { KeysmithError } from '../errors.js';
import type { VerifyKeyResult } from '../generated/openapi.js';
import { DEFAULT_FAIL_OPEN_MAX_AGE_SECONDS, verifiedKeysOf } from './fail-open-cache.js';

/**
 * What the middleware puts on an admitted request: Keysmith's verify answer for the consumer's
 * key (`valid` is always true here), plus whether it was admitted fail-open.
 */
export interface KeysmithVerification extends VerifyKeyResult {
  valid: true;
  code: 'VALID';
  key_id: string;
  /**
   * `true` when Keysmith could not be reached and the key was admitted because it (from the
   * same IP) was verified valid at `verified_at`, within the fail-open window. Rate limits
   * and quotas were not checked for this request, and `quotas` and `rate_limit` are as they
   * were then.
   */
  fail_open: boolean;
  /** When Keysmith last said this key is valid (ISO 8601): now, or earlier when `fail_open`. */
  verified_at: string;
}

/** The §3 error body the consumer gets on refusal: `{error, code, request_id}`. */
export interface KeysmithRefusalBody {
  error: string;
  /** A §3 code, or `UNAVAILABLE` when Keysmith could not be reached (fail closed). */
  code: VerifyCode | 'UNAVAILABLE';
  request_id: string;
}

/** The answer for one request: admit it (with headers for the response) or refuse it. */
export type GuardDecision =
  | { admitted: true; verification: KeysmithVerification; headers: Record<string, string> }
  | { admitted: false; status: number; body: KeysmithRefusalBody; headers: Record<string, string> };

/** Fail-open settings: see {@link KeysmithGuardOptions.failOpen}. */
export interface FailOpenOptions {
  /** How recent a valid verification must be to admit the key while Keysmith is down. Default 60. */
  maxAgeSeconds?: number | undefined;
}

/** Settings shared by every middleware (the route settings are {@link KeysmithRouteOptions}). */
export interface KeysmithGuardOptions {
  /** The client to verify with; its key needs the `keys:verify` scope. */
  client: Keysmith;
  /**
   * When Keysmith cannot be reached (timeout, network error, 5xx): `false` (default) refuses
   * every request with 503 `UNAVAILABLE` (fail closed). `true` or `{maxAgeSeconds}` admits a
   * key only if the same key from the same IP was verified valid within the last
   * `maxAgeSeconds` (default 60), still enforcing the route's scopes and the key's expiry,
   * and marks the result `fail_open: true`; every other key is refused with 503.
   */
  failOpen?: boolean | FailOpenOptions | undefined;
  /** Time limit of each verify call in milliseconds. Default: the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /**
   * Called when a verify call fails (Keysmith unreachable, or refusing the client's own key
   * or input). Default: `console.error`, at most once every 10 seconds. Never receives a key.
   */
  onError?: ((error: KeysmithError) => void) | undefined;
}

/**
 * Per-route settings of a middleware, typed by the framework's request. Functions receive
 * the request, so one middleware can serve many routes.
 */
export interface KeysmithRouteOptions<Req> {
  /** Scopes the consumer's key must hold, all of them. Default none (any valid key). */
  scopes?: readonly string[] | undefined;
  /**
   * Credits the request costs (a whole number 0–1000; 0 checks without consuming), or a
   * function of the request. Default 1.
   */
  cost?: number | ((request: Req) => number) | undefined;
  /**
   * What the key's request log calls this request (at most 512 characters). Default: the
   * method and the route pattern (`GET /tasks/:id`), so ids do not end up in logs.
   */
  endpoint?: string | ((request: Req) => string) | undefined;
  /**
   * The consumer's IP address, for the key's IP allowlist and failed-attempt blocks. Default:
   * what the framework reports (Fastify's and Express's `request.ip`, which honour their
   * `trustProxy` setting), or `X-Forwarded-For` per `trustProxyHops` where the framework has none.
   */
  clientIp?: ((request: Req) => string | undefined) | undefined;
}

/** One request, as every adapter reads it. */
export interface GuardRequest {
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The `X-API-Key` header, if any. */
  apiKey: string | undefined;
  /** The consumer's IP address, if known (invalid addresses are not sent). */
  ip: string | undefined;
  endpoint: string;
  scopes: readonly string[];
  cost: number;
}

/** A key taken from the headers per §3, or why there is none to verify. */
export type PresentedKey = { key: string } | { refusal: 'MISSING' | 'INVALID' };

const BEARER = /^Bearer(?:\s+(.*))?$/i;

/**
 * The key of a request per §3: `Authorization: Bearer <key>` or `X-API-Key: <key>`. An empty
 * value counts as absent (`MISSING` when nothing else is presented); an `Authorization`
 * value that is not `Bearer …` (a bare key, another scheme) is `INVALID`; two different keys
 * in the two headers are `INVALID`.
 */
export function presentedKey(authorization: string | undefined, apiKey: string | undefined): PresentedKey {
  let fromAuthorization: string | null = null;
  const auth = authorization?.trim() ?? '';
  if (auth !== '') {
    const match = BEARER.exec(auth);
    if (!match) return { refusal: 'INVALID' };
    const token = match[1]?.trim() ?? '';
    if (token !== '') fromAuthorization = token;
  }
  const header = apiKey?.trim() ?? '';
  const fromHeader = header === '' ? null : header;
  if (fromAuthorization !== null && fromHeader !== null && fromAuthorization !== fromHeader) {
    return { refusal: 'INVALID' };
  }
  const key = fromAuthorization ?? fromHeader;
  return key === null ? { refusal: 'MISSING' } : { key };
}

/**
 * The client address behind `trustedHops` proxies: the socket's peer is the nearest proxy,
 * and each trusted proxy appended the address it saw to `X-Forwarded-For`. With no trusted
 * hops the header is ignored (anyone can send it). Without a socket address (fetch handlers)
 * the rightmost entries stand in for it.
 */
export function clientIpFromForwarded(
  socketIp: string | undefined,
  forwardedFor: string | undefined,
  trustedHops: number,
): string | undefined {
  if (trustedHops <= 0 || !forwardedFor) return socketIp;
  const hops = forwardedFor
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const chain = socketIp === undefined ? hops.reverse() : [socketIp, ...hops.reverse()];
  const index = socketIp === undefined ? trustedHops - 1 : trustedHops;
  return chain[Math.min(index, chain.length - 1)];
}

/** The header value of a Node-style header (string, string[] or absent) as one string. */
export function headerValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value.join(', ');
}

/** `RateLimit-*` and `X-RateLimit-*` (§3) from a verify answer's `rate_limit`; empty when it has none. */
export function rateLimitHeaders(rate: VerifyKeyResult['rate_limit']): Record<string, string> {
  if (!rate) return {};
  const limit = String(rate.limit);
  const remaining = String(rate.remaining);
  const reset = String(rate.reset);
  return {
    'RateLimit-Limit': limit,
    'RateLimit-Remaining': remaining,
    'RateLimit-Reset': reset,
    'X-RateLimit-Limit': limit,
    'X-RateLimit-Remaining': remaining,
    'X-RateLimit-Reset': reset,
  };
}

const MAX_COST = 1000;
const MAX_ENDPOINT_LENGTH = 512;
const ERROR_LOG_INTERVAL_MS = 10_000;

/** Checks option values once, at start, so that a typo fails the deployment rather than every request. */
export function checkRouteSettings(
  where: string,
  scopes: readonly string[] | undefined,
  cost: unknown,
): void {
  for (const scope of scopes ?? []) {
    if (!isValidScope(scope)) throw new TypeError(`${where}: scope "${scope}" is not resource:action`);
  }
  if (typeof cost === 'number' && !(Number.isInteger(cost) && cost >= 0 && cost <= MAX_COST)) {
    throw new TypeError(`${where}: cost must be a whole number from 0 to ${MAX_COST}`);
  }
}

function defaultOnError(): (error: KeysmithError) => void {
  let lastLogged = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} more since the last message)` : '';
    console.error(`[keysmith] key verification failed: ${error.code}: ${error.message}${more}`);
    lastLogged = now;
    suppressed = 0;
  };
}

/** The §3 wording of a refusal code from a verify answer, with its window where §3 names one. */
function refusalWording(
  code: VerifyCode,
  result: VerifyKeyResult,
  cost: number,
  nowSeconds: number,
): { error: string; retryAfter: number | null } {
  if (code === 'RATE_LIMITED') {
    // The answer's `rate_limit` is the per-minute window: empty means that window refused
    // (it frees up at `reset`, rounded up to the second, so never more than 60 s away); room
    // in it means the per-second window refused (free again within a second).
    const minuteFull = result.rate_limit !== null && result.rate_limit.remaining <= 0;
    const untilReset = result.rate_limit ? Math.ceil(result.rate_limit.reset - nowSeconds) : 1;
    const retryAfter = minuteFull ? Math.min(60, Math.max(1, untilReset)) : 1;
    return { error: rateLimitedMessage(minuteFull ? 'minute' : 'second'), retryAfter };
  }
  if (code === 'QUOTA_EXCEEDED') {
    const needed = Math.max(cost, 1);
    const window = QUOTA_WINDOW_NAMES.find((name) => {
      const status = result.quotas[name];
      return status !== undefined && status.remaining < needed;
    });
    return { error: quotaExceededMessage(window ?? 'total'), retryAfter: null };
  }
  return { error: VERIFY_ERROR_BY_CODE[code].error, retryAfter: null };
}

/** Codes after which a remembered verification must not admit the key fail-open. */
const FORGET_ON: ReadonlySet<string> = new Set(['INVALID', 'REVOKED', 'INACTIVE', 'EXPIRED']);

/**
 * The framework-neutral core of every middleware: reads the key per §3, refuses what it
 * can decide locally (no key, a key that does not parse or whose checksum is wrong) without
 * a network call, asks Keysmith for the rest, and turns the answer into the consumer's
 * response: §3 status, `{error, code, request_id}` body, `RateLimit-*` / `X-RateLimit-*`
 * headers and `Retry-After`. Never throws: every failure is an answer.
 */
export class KeysmithGuard {
  readonly client: Keysmith;
  readonly scopes: readonly string[];
  readonly cost: number;
  private readonly failOpenMs: number | null;
  private readonly timeoutMs: number | undefined;
  private readonly onError: (error: KeysmithError) => void;

  /** `scopes` and a numeric `cost` are the defaults of every request the guard checks. */
  constructor(options: KeysmithGuardOptions & { scopes?: readonly string[] | undefined; cost?: unknown }) {
    if (!options || typeof options.client?.keys?.verify !== 'function') {
      throw new TypeError('Keysmith middleware: pass `client: new Keysmith({ baseUrl, rootKey })`');
    }
    checkRouteSettings('Keysmith middleware', options.scopes, options.cost);
    this.client = options.client;
    this.scopes = options.scopes ?? [];
    this.cost = typeof options.cost === 'number' ? options.cost : 1;
    const failOpen = options.failOpen ?? false;
    const maxAge =
      failOpen === false
        ? null
        : failOpen === true
          ? DEFAULT_FAIL_OPEN_MAX_AGE_SECONDS
          : (failOpen.maxAgeSeconds ?? DEFAULT_FAIL_OPEN_MAX_AGE_SECONDS);
    if (maxAge !== null && !(Number.isFinite(maxAge) && maxAge > 0)) {
      throw new TypeError('Keysmith middleware: failOpen.maxAgeSeconds must be a positive number');
    }
    this.failOpenMs = maxAge === null ? null : maxAge * 1000;
    this.timeoutMs = options.timeoutMs;
    this.onError = options.onError ?? defaultOnError();
  }

  /** Decides on one request. */
  async check(request: GuardRequest): Promise<GuardDecision> {
    const presented = presentedKey(request.authorization, request.apiKey);
    if ('refusal' in presented) return refuse(presented.refusal);
    // A key that does not parse, or whose checksum is wrong, never costs a network call (§2.1).
    if (!parseApiKey(presented.key).ok) return refuse('INVALID');
    const key = presented.key;
    const ip = request.ip === undefined ? undefined : (canonicalIp(request.ip) ?? undefined);
    const endpoint = request.endpoint.slice(0, MAX_ENDPOINT_LENGTH);
    const remembered = this.failOpenMs === null ? null : verifiedKeysOf(this.client);
    const cacheId = remembered ? await remembered.idOf(key, ip) : null;

    let result: VerifyKeyResult;
    try {
      result = await this.client.keys.verify(
        {
          key,
          ...(request.scopes.length > 0 ? { scopes: request.scopes } : {}),
          cost: request.cost,
          endpoint,
          ...(ip === undefined ? {} : { ip }),
        },
        { timeoutMs: this.timeoutMs },
      );
    } catch (error) {
      const failure =
        error instanceof KeysmithError
          ? error
          : new KeysmithError({ message: String(error), status: 0, code: 'NETWORK_ERROR', cause: error });
      try {
        this.onError(failure);
      } catch {
        // A failing error reporter must not turn a 503 into an unhandled rejection.
      }
      if (remembered && cacheId !== null && this.failOpenMs !== null && failure.unavailable) {
        const earlier = remembered.recall(cacheId, this.failOpenMs, Date.now());
        if (earlier) return admitFailOpen(earlier.result, earlier.at, request.scopes);
      }
      return unavailable();
    }

    const now = Date.now();
    if (result.valid && result.key_id !== null) {
      if (remembered && cacheId !== null) remembered.remember(cacheId, result, now);
      return {
        admitted: true,
        verification: verification(result, false, now),
        headers: rateLimitHeaders(result.rate_limit),
      };
    }
    if (remembered && cacheId !== null && FORGET_ON.has(result.code)) remembered.forget(cacheId);
    const code: VerifyCode = isVerifyCode(result.code) ? result.code : 'INVALID';
    const { error, retryAfter } = refusalWording(code, result, request.cost, now / 1000);
    const headers = rateLimitHeaders(result.rate_limit);
    if (retryAfter !== null) headers['Retry-After'] = String(retryAfter);
    return refuse(code, error, headers);
  }
}

function verification(result: VerifyKeyResult, failOpen: boolean, verifiedAt: number): KeysmithVerification {
  return {
    ...result,
    valid: true,
    code: 'VALID',
    key_id: result.key_id ?? '',
    fail_open: failOpen,
    verified_at: new Date(verifiedAt).toISOString(),
  };
}

/**
 * Fail-open admission from a remembered valid verification: the route's scopes and the
 * key's expiry are still checked here (with the domain package's scope rules); rate limits
 * and quotas cannot be. No rate-limit headers: the remembered ones are stale.
 */
function admitFailOpen(result: VerifyKeyResult, at: number, scopes: readonly string[]): GuardDecision {
  if (!hasScopes(result.scopes, scopes).ok) return refuse('FORBIDDEN');
  if (result.expires_at !== null && Date.parse(result.expires_at) <= Date.now()) return refuse('EXPIRED');
  return { admitted: true, verification: verification(result, true, at), headers: {} };
}

function requestId(): string {
  return generatePublicId('req');
}

/** Refusals are never cached by a proxy, as Keysmith's own error answers. */
const NO_STORE = { 'Cache-Control': 'no-store' } as const;

function refuse(code: VerifyCode, error?: string, headers: Record<string, string> = {}): GuardDecision {
  const spec = VERIFY_ERROR_BY_CODE[code];
  return {
    admitted: false,
    status: spec.status,
    body: { error: error ?? spec.error, code, request_id: requestId() },
    headers: { ...headers, ...NO_STORE },
  };
}

function unavailable(): GuardDecision {
  return {
    admitted: false,
    status: 503,
    body: {
      error: 'API key verification is temporarily unavailable',
      code: 'UNAVAILABLE',
      request_id: requestId(),
    },
    headers: { ...NO_STORE },
  };
}

/** Resolves a per-route setting that may be a value or a function of the request. */
export function routeValue<Req, T>(
  value: T | ((request: Req) => T) | undefined,
  request: Req,
): T | undefined {
  return typeof value === 'function' ? (value as (request: Req) => T)(request) : value;
}
