import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../services.js';
import { authenticate } from '../rest-auth.js';

/** `GET /v1/rate-limit` (§5): the calling key's tightest per-minute limit after this request. */
export function registerRateLimitRoute(server: FastifyInstance, app: AppServices): void {
  server.get('/rate-limit', async (request, reply) => {
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
