import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../services.js';
import { responseJsonSchema } from '../response-schema.js';
import { authenticate } from '../rest-auth.js';
import { fastifyPath, type RestOperation } from '../rest-route.js';
import { ZRateLimitResponseSchema } from '../rest-schemas.js';

/** What the OpenAPI document says about `GET /v1/rate-limit`. */
export const rateLimitOperation: RestOperation = {
  method: 'GET',
  path: '/rate-limit',
  operationId: 'getRateLimit',
  summary: "The calling key's rate limit",
  description:
    "Limit and remaining requests of the calling key's tightest per-minute limit (this request " +
    'included), and when it resets. Any valid key may call it; it counts as a request.',
  auth: { scope: null },
  success: {
    name: 'RateLimitStatus',
    schema: ZRateLimitResponseSchema,
    status: 200,
    description: 'The per-minute limit after this request',
    example: { limit: 300, remaining: 291, reset: 1778144000, reset_at: '2026-05-07T08:53:20.000Z' },
  },
};

/** `GET /v1/rate-limit` (§5): the calling key's tightest per-minute limit after this request. */
export function registerRateLimitRoute(server: FastifyInstance, app: AppServices): void {
  const schema = { response: { 200: responseJsonSchema(ZRateLimitResponseSchema) } };
  server.get(fastifyPath(rateLimitOperation.path), { schema }, async (request, reply) => {
    const auth = await authenticate(app, request, reply, []);
    if (!auth) return reply;
    const minute = auth.outcome.rate?.windows.minute;
    const resetAt = minute?.resetAt ?? Date.now();
    return {
      limit: minute?.limit ?? 0,
      remaining: minute?.remaining ?? 0,
      reset: Math.ceil(resetAt / 1000),
      reset_at: new Date(resetAt).toISOString(),
    };
  });
}
