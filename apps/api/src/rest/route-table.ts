import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.js';
import { type RestOperation, registerKeyRoute } from './rest-route.js';
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

/**
 * Every `/v1` operation, in the order the document lists them. Registration and the OpenAPI
 * document both read this table; a test checks that every registered route is in it.
 */
export const REST_OPERATIONS: readonly RestOperation[] = [
  verifyOperation,
  rateLimitOperation,
  createApiKeyRoute,
  listApiKeysRoute,
  getApiKeyRoute,
  updateApiKeyRoute,
  revokeApiKeyRoute,
  rollApiKeyRoute,
  apiKeyLogsRoute,
  leaksOperation,
  openApiOperation,
];

/** Registers every `/v1` route (the plugin adds the `/v1` prefix). */
export function registerRestRoutes(server: FastifyInstance, app: AppServices): void {
  registerVerifyRoute(server, app);
  registerRateLimitRoute(server, app);
  registerKeyRoute(server, app, createApiKeyRoute);
  registerKeyRoute(server, app, listApiKeysRoute);
  registerKeyRoute(server, app, getApiKeyRoute);
  registerKeyRoute(server, app, updateApiKeyRoute);
  registerKeyRoute(server, app, revokeApiKeyRoute);
  registerKeyRoute(server, app, rollApiKeyRoute);
  registerKeyRoute(server, app, apiKeyLogsRoute);
  registerLeaksRoute(server, app);
  registerOpenApiRoute(server, app, REST_OPERATIONS);
}
