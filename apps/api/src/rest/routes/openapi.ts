import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppServices } from '../../services.js';
import { buildOpenApiDocument } from '../openapi.js';
import { fastifyPath, type RestOperation } from '../rest-route.js';

/** What the OpenAPI document says about itself. */
export const openApiOperation: RestOperation = {
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  summary: 'This OpenAPI 3.1 document',
  description: 'The OpenAPI 3.1 document of `/v1`, generated from the schemas the handlers validate with.',
  auth: 'public',
  success: {
    name: 'OpenApiDocument',
    schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
    status: 200,
    description: 'An OpenAPI 3.1 document',
    example: { openapi: '3.1.0', info: { title: 'Keysmith API', version: '1' }, paths: {} },
  },
};

/** `GET /v1/openapi.json` (no key): built once, on first request, from `operations`. */
export function registerOpenApiRoute(
  server: FastifyInstance,
  app: AppServices,
  operations: readonly RestOperation[],
): void {
  let document: string | null = null;
  server.get(fastifyPath(openApiOperation.path), async (_request, reply) => {
    document ??= JSON.stringify(buildOpenApiDocument(operations, { serverUrl: app.env.PUBLIC_URL }));
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(document);
  });
}
