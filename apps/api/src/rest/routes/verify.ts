import { type QuotaStatusByWindow, type RateLimitDecision, sanitizeText } from '@keysmith/domain';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../services.js';
import type { VerifyOutcome } from '../../verify/pipeline.js';
import { EXAMPLE_KEY } from '../openapi-examples.js';
import { responseJsonSchema } from '../response-schema.js';
import { authenticate, setRateHeaders } from '../rest-auth.js';
import { sendError } from '../rest-errors.js';
import { fastifyPath, type RestOperation } from '../rest-route.js';
import {
  type TVerifyResponse,
  ZVerifyBodySchema,
  ZVerifyResponseSchema,
  zodFields,
} from '../rest-schemas.js';

export function quotasBody(windows: QuotaStatusByWindow | undefined): TVerifyResponse['quotas'] {
  const out: TVerifyResponse['quotas'] = {};
  if (!windows) return out;
  for (const [name, w] of Object.entries(windows)) {
    out[name as keyof QuotaStatusByWindow] = {
      limit: w.limit,
      used: w.used,
      remaining: w.remaining,
      reset_at: w.nextFreeAt === null ? null : new Date(w.nextFreeAt).toISOString(),
    };
  }
  return out;
}

export function rateBody(rate: RateLimitDecision | null): TVerifyResponse['rate_limit'] {
  if (!rate) return null;
  const minute = rate.windows.minute;
  return { limit: minute.limit, remaining: minute.remaining, reset: Math.ceil(minute.resetAt / 1000) };
}

export function verifyResponse(outcome: VerifyOutcome): TVerifyResponse {
  const key = outcome.key;
  const identified = key !== null && outcome.code !== 'INVALID';
  return {
    valid: outcome.code === 'VALID',
    code: outcome.code,
    key_id: identified ? key.id : null,
    space_id: identified ? key.spaceId : null,
    environment: identified ? key.environment : null,
    scopes: identified ? [...key.scopes] : [],
    expires_at: identified && key.expiresAt !== null ? new Date(key.expiresAt).toISOString() : null,
    quotas: quotasBody(outcome.quota?.windows),
    rate_limit: identified ? rateBody(outcome.rate) : null,
  };
}

/** What the OpenAPI document says about `POST /v1/keys/verify`. */
export const verifyOperation: RestOperation = {
  method: 'POST',
  path: '/keys/verify',
  operationId: 'verifyKey',
  summary: "Verify a consumer's key",
  description:
    "Your backend checks the key one of your API's consumers presented. Always 200 once the caller is " +
    'authenticated: `valid` and `code` (`VALID` or the refusal code of the key checks) say whether to serve the request. The ' +
    'verified key is rate-limited, metered (`cost` credits, default 1; 0 checks without consuming) and ' +
    "logged with `endpoint` and `ip`; the caller's own call is logged but neither limited nor metered. " +
    'Keys of another space (unless the caller holds `admin:*`) or organization are `INVALID`.',
  auth: { scope: 'keys:verify' },
  body: {
    name: 'VerifyKeyRequest',
    schema: ZVerifyBodySchema,
    example: {
      key: EXAMPLE_KEY,
      scopes: ['payments:write'],
      endpoint: 'POST /charges',
      ip: '203.0.113.7',
    },
  },
  success: {
    name: 'VerifyKeyResult',
    schema: ZVerifyResponseSchema,
    status: 200,
    description: 'The decision for the presented key',
    example: {
      valid: true,
      code: 'VALID',
      key_id: 'key_7Hq2mX9aBc3dEf4G',
      space_id: 'spc_4kP9sW2xLm7Qa1Zc',
      environment: 'live',
      scopes: ['payments:read', 'payments:write'],
      expires_at: null,
      quotas: { daily: { limit: 10000, used: 1844, remaining: 8156, reset_at: '2026-05-07T09:13:00.000Z' } },
      rate_limit: { limit: 300, remaining: 291, reset: 1778144000 },
    },
  },
};

/**
 * `POST /v1/keys/verify` (§5): an organization's backend checks a consumer's key. The
 * caller (scope `keys:verify`) is logged but neither rate-limited nor metered; the verified
 * key goes through the full pipeline with the consumer's `ip`, and its usage and log row
 * are recorded. Always 200 once the caller is authenticated.
 */
export function registerVerifyRoute(server: FastifyInstance, app: AppServices): void {
  const schema = { response: { 200: responseJsonSchema(ZVerifyResponseSchema) } };
  server.post(fastifyPath(verifyOperation.path), { schema }, async (request, reply) => {
    const caller = await authenticate(app, request, reply, ['keys:verify'], { meter: false });
    if (!caller) return reply;
    const body = ZVerifyBodySchema.safeParse(request.body);
    if (!body.success) {
      const rate = await app.verification.verifier.planRate(
        caller.key.organizationId,
        caller.key.plan,
        Date.now(),
      );
      if (rate) setRateHeaders(reply, rate, null);
      return sendError(request, reply, 400, 'VALIDATION', 'Invalid request body', zodFields(body.error));
    }
    const started = performance.now();
    const input = body.data;
    // The consumer's address as the caller saw it; without it, none: the caller's own address
    // must never be counted or blocked for its consumers' bad keys (§3).
    const ip = input.ip ?? null;
    const verifying = app.verification.verifier.verify({
      key: input.key,
      ip,
      requiredScopes: input.scopes ?? [],
      cost: input.cost ?? 1,
      meter: true,
      reportQuotas: true,
      now: Date.now(),
      within: {
        organizationId: caller.key.organizationId,
        spaceId: caller.principal.kind === 'key' && caller.principal.acrossSpaces ? null : caller.key.spaceId,
      },
    });
    const outcome = verifying instanceof Promise ? await verifying : verifying;
    // The caller's headers: its organization's limiter, as the verified key's admission left it
    // (same organization), or peeked when the verified key was not identified.
    const callerRate =
      outcome.planRate ??
      (await app.verification.verifier.planRate(caller.key.organizationId, caller.key.plan, Date.now()));
    if (callerRate) setRateHeaders(reply, callerRate, null);
    if (outcome.key && outcome.code !== 'INVALID') {
      app.verification.logs.push(
        {
          organizationId: outcome.key.organizationId,
          spaceId: outcome.key.spaceId,
          keyId: outcome.key.id,
          time: Date.now(),
          method: 'VERIFY',
          // A record of what the consumer called: kept, made storable (no NUL, no lone surrogate).
          endpoint: sanitizeText(input.endpoint ?? ''),
          status: outcome.status,
          durationMs: performance.now() - started,
          ip,
          credits: outcome.credits,
          code: outcome.code,
        },
        outcome.code === 'VALID',
      );
    }
    // One row per verified request (§5): the caller's own call is counted per minute instead.
    request.verifyOutcome = undefined;
    const now = Date.now();
    app.verification.usage.countVerifyCall(caller.key.organizationId, caller.key.id, now, outcome.code);
    app.verification.logs.touch(caller.key.id, now, request.ip);
    return reply.header('cache-control', 'no-store').send(verifyResponse(outcome));
  });
}
