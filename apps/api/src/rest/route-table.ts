import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppServices } from '../services.js';
import { type KeyRoute, type RestOperation, registerKeyRoute } from './rest-route.js';
import { getApiKeyRoute } from './routes/api-keys/by-id.js';
import { createApiKeyRoute } from './routes/api-keys/create.js';
import { listApiKeysRoute } from './routes/api-keys/list.js';
import { apiKeyLogsRoute } from './routes/api-keys/logs.js';
import { revokeApiKeyRoute } from './routes/api-keys/revoke.js';
import { rollApiKeyRoute } from './routes/api-keys/roll.js';
import { updateApiKeyRoute } from './routes/api-keys/update.js';
import { leaksOperation, registerLeaksRoute } from './routes/leaks.js';
import { openApiOperation, registerOpenApiRoute } from './routes/openapi.js';
import { rateLimitOperation, registerRateLimitRoute } from './routes/rate-limit.js';
import { registerVerifyRoute, verifyOperation } from './routes/verify.js';

/** One `/v1` route: what the document says about it, and how it is registered. */
interface RestRoute {
  operation: RestOperation;
  register(server: FastifyInstance, app: AppServices): void;
}

/** A key-authenticated route is its own operation, registered by the shared key-route handler. */
function keyRoute<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
>(route: KeyRoute<P, Q, B, R>): RestRoute {
  return { operation: route, register: (server, app) => registerKeyRoute(server, app, route) };
}

/**
 * Every `/v1` route, in the order the document lists them and Fastify registers them: the one
 * list both read, so no route can be served undocumented or documented unserved (a test also
 * compares the document with what Fastify registered).
 */
const REST_ROUTES: readonly RestRoute[] = [
  { operation: verifyOperation, register: registerVerifyRoute },
  { operation: rateLimitOperation, register: registerRateLimitRoute },
  keyRoute(createApiKeyRoute),
  keyRoute(listApiKeysRoute),
  keyRoute(getApiKeyRoute),
  keyRoute(updateApiKeyRoute),
  keyRoute(revokeApiKeyRoute),
  keyRoute(rollApiKeyRoute),
  keyRoute(apiKeyLogsRoute),
  { operation: leaksOperation, register: registerLeaksRoute },
  {
    operation: openApiOperation,
    register: (server, app) => registerOpenApiRoute(server, app, REST_OPERATIONS),
  },
];

/** Every `/v1` operation, for the OpenAPI document (and the tests that read it). */
export const REST_OPERATIONS: readonly RestOperation[] = REST_ROUTES.map((route) => route.operation);

/** Registers every `/v1` route (the plugin adds the `/v1` prefix). */
export function registerRestRoutes(server: FastifyInstance, app: AppServices): void {
  for (const route of REST_ROUTES) route.register(server, app);
}
