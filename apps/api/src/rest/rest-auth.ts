import type { RateLimitDecision } from '@keysmith/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { AppServices } from '../services.js';
import type { VerifyOutcome } from '../verify/pipeline.js';
import type { VerifiableKey } from '../verify/verifiable-key.js';
import { sendError } from './rest-errors.js';

/** The key a `/v1` request authenticated with, and what its pipeline run decided. */
export interface KeyAuth {
  key: VerifiableKey;
  outcome: VerifyOutcome;
  principal: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by {@link authenticate} once the request's key passed every check. */
    keyAuth?: KeyAuth;
    /** The outcome of the request's own verification (for its log row), admitted or not. */
    verifyOutcome?: VerifyOutcome | undefined;
  }
}

/** The key a request presents, by the header rules of §3. */
export interface PresentedKey {
  /** The key, or null when no header carries one (an empty value counts as none). */
  key: string | null;
  /**
   * The headers break the rules: `Authorization` without the `Bearer` scheme (a bare key or
   * another scheme), or two different keys in `Authorization` and `X-API-Key`. Answered `INVALID`.
   */
  malformed: boolean;
}

const BEARER = /^Bearer(?:[ \t]+(.*))?$/i;

/**
 * `Authorization: Bearer <key>` or `X-API-Key: <key>` (§3): an empty value is no key
 * (`MISSING`); a bare key in `Authorization`, another scheme, or two different keys in the two
 * headers are `INVALID`; the same key in both is accepted.
 */
export function presentedKey(request: FastifyRequest): PresentedKey {
  const authorization = request.headers.authorization?.trim();
  const header = request.headers['x-api-key'];
  const apiKey = typeof header === 'string' ? header.trim() : '';
  let bearer = '';
  if (authorization) {
    const match = BEARER.exec(authorization);
    if (!match) return { key: null, malformed: true };
    bearer = match[1]?.trim() ?? '';
  }
  if (bearer && apiKey && bearer !== apiKey) return { key: null, malformed: true };
  return { key: bearer || apiKey || null, malformed: false };
}

/**
 * `RateLimit-*` and `X-RateLimit-*` headers (§3): limit and remaining of the tightest
 * per-minute limit, reset as Unix seconds; `Retry-After` on 429.
 */
export function setRateHeaders(
  reply: FastifyReply,
  rate: RateLimitDecision,
  retryAfterSeconds: number | null,
): void {
  const minute = rate.windows.minute;
  const reset = String(Math.ceil(minute.resetAt / 1000));
  reply.header('RateLimit-Limit', String(minute.limit));
  reply.header('RateLimit-Remaining', String(minute.remaining));
  reply.header('RateLimit-Reset', reset);
  reply.header('X-RateLimit-Limit', String(minute.limit));
  reply.header('X-RateLimit-Remaining', String(minute.remaining));
  reply.header('X-RateLimit-Reset', reset);
  if (retryAfterSeconds !== null) reply.header('Retry-After', String(retryAfterSeconds));
}

/**
 * Runs the verification pipeline for the request's own key with the scopes the route needs.
 * On refusal it answers (§3 body and headers) and returns null; otherwise it records the
 * key on the request and returns it.
 */
export async function authenticate(
  app: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  requiredScopes: readonly string[],
  options: { meter?: boolean } = {},
): Promise<KeyAuth | null> {
  const presented = presentedKey(request);
  const verifying = app.verification.verifier.verify({
    key: presented.key,
    malformed: presented.malformed,
    ip: request.ip,
    requiredScopes,
    cost: 1,
    meter: options.meter ?? true,
    now: Date.now(),
  });
  const outcome = verifying instanceof Promise ? await verifying : verifying;
  request.verifyOutcome = outcome;
  if (outcome.rate === null && outcome.key !== null && outcome.code !== 'VALID') {
    // A refused unmetered caller (keys:verify) still gets its organization's rate-limit state;
    // an admitted one gets it from the verified key's admission (routes/verify.ts).
    outcome.rate = await app.verification.verifier.planRate(
      outcome.key.organizationId,
      outcome.key.plan,
      Date.now(),
    );
  }
  if (outcome.rate)
    setRateHeaders(reply, outcome.rate, outcome.code === 'RATE_LIMITED' ? outcome.retryAfterSeconds : null);
  if (outcome.code === 'IP_BLOCKED' && outcome.retryAfterSeconds !== null) {
    reply.header('Retry-After', String(outcome.retryAfterSeconds));
  }
  if (outcome.code !== 'VALID' || !outcome.key) {
    sendError(request, reply, outcome.status, outcome.code, outcome.error ?? 'Invalid API Key');
    return null;
  }
  const key = outcome.key;
  const auth: KeyAuth = {
    key,
    outcome,
    principal: {
      kind: 'key',
      keyId: key.id,
      label: key.name,
      ip: request.ip,
      spaceId: key.spaceId,
      acrossSpaces: key.scopes.includes('admin:*'),
      scopes: key.scopes,
    },
  };
  request.keyAuth = auth;
  return auth;
}
