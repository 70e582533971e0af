import { findUnsafeText, unsafeTextMessage } from '@keysmith/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ServiceContext } from '../auth/service-context.js';
import type { AppServices } from '../services.js';
import { authenticate, type KeyAuth } from './rest-auth.js';
import { sendError } from './rest-errors.js';
import { zodFields } from './rest-schemas.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A named schema: the name is its component id in the OpenAPI document. */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

/**
 * What the OpenAPI document says about one `/v1` route: the same schemas the handler parses
 * with, so the document cannot describe a different API from the one that answers.
 */
export interface RestOperation {
  method: HttpMethod;
  /** Path under `/v1`, OpenAPI style (`/api-keys/{id}`). */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /**
   * `public`: no key. Otherwise the scope the calling key must hold (`null`: any valid key).
   * Authenticated answers carry the rate-limit headers of §3.
   */
  auth: 'public' | { scope: string | null };
  params?: z.ZodType | undefined;
  query?: z.ZodType | undefined;
  body?: (NamedSchema & { example?: unknown }) | undefined;
  success: NamedSchema & { status: 200 | 201; description: string; example: unknown };
  /** Error statuses beyond those implied by auth, input and path parameters (e.g. 409). */
  extraErrors?: readonly number[];
}

/** Fastify's `:param` form of an OpenAPI path. */
export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Everything a key-authenticated handler gets: parsed input, the caller, and a service context. */
export interface KeyRouteInput<P, Q, B> {
  app: AppServices;
  request: FastifyRequest;
  auth: KeyAuth;
  /** The services' context for this request: its own EntityManager fork, the key's tenant, the key as principal. */
  service: ServiceContext;
  params: P;
  query: Q;
  body: B;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A key-authenticated route: its operation (for the document) and its handler. */
export interface KeyRoute<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
> extends RestOperation {
  auth: { scope: string | null };
  params?: P;
  query?: Q;
  body?: { name: string; schema: Exclude<B, undefined>; example?: unknown };
  success: { name: string; schema: R; status: 200 | 201; description: string; example: unknown };
  /** Returns the answer; it is parsed with `success.schema` on the way out, so no field leaks. */
  handle(input: KeyRouteInput<Parsed<P>, Parsed<Q>, Parsed<B>>): Promise<z.input<R>>;
}

/** Identity with inference: checks a route definition against its own schemas. */
export function defineKeyRoute<
  R extends z.ZodType,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: KeyRoute<P, Q, B, R>): KeyRoute<P, Q, B, R> {
  return route;
}

function parseInput(
  schema: z.ZodType | undefined,
  value: unknown,
): { ok: true; data: unknown } | { ok: false; fields: Record<string, string> } {
  if (!schema) return { ok: true, data: undefined };
  const result = schema.safeParse(value);
  return result.success ? { ok: true, data: result.data } : { ok: false, fields: zodFields(result.error) };
}

/**
 * The catch-all text guard of §5 for one request: any control character or lone surrogate in a
 * path parameter or the query string, and NUL or a lone surrogate anywhere in the body (other
 * control characters in bodies are the fields' own rules), answers 400 naming the field.
 */
function unsafeInput(request: FastifyRequest): Record<string, string> | null {
  const sources: [unknown, boolean][] = [
    [request.params, true],
    [request.query, true],
    [request.body, false],
  ];
  for (const [value, allControls] of sources) {
    const found = findUnsafeText(value, { allControls });
    if (found) return { [found.path.join('.') || 'body']: unsafeTextMessage(found.reason) };
  }
  return null;
}

/**
 * Registers a key-authenticated route: authenticate with the route's scope first (so an
 * anonymous caller learns nothing about validation), then parse path, query and body with the
 * route's schemas (400 `VALIDATION` with snake_case `fields`), run the handler, and send its
 * answer through the response schema.
 */
export function registerKeyRoute<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
>(server: FastifyInstance, app: AppServices, route: KeyRoute<P, Q, B, R>): void {
  const scopes = route.auth.scope === null ? [] : [route.auth.scope];
  server.route({
    method: route.method,
    url: fastifyPath(route.path),
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const auth = await authenticate(app, request, reply, scopes);
      if (!auth) return reply;
      const unsafe = unsafeInput(request);
      if (unsafe) return sendError(request, reply, 400, 'VALIDATION', 'Invalid request', unsafe);
      const params = parseInput(route.params, request.params);
      const query = parseInput(route.query, request.query);
      // A POST without a body (e.g. a roll with the default grace period) means `{}`.
      const body = parseInput(route.body?.schema, request.body ?? {});
      if (!params.ok) return sendError(request, reply, 404, 'NOT_FOUND', 'Not found');
      if (!query.ok) {
        return sendError(request, reply, 400, 'VALIDATION', 'Invalid query parameters', query.fields);
      }
      if (!body.ok) return sendError(request, reply, 400, 'VALIDATION', 'Invalid request body', body.fields);
      const result = await route.handle({
        app,
        request,
        auth,
        service: {
          em: app.orm.em.fork(),
          organizationId: auth.key.organizationId,
          principal: auth.principal,
          now: new Date(),
        },
        params: params.data as Parsed<P>,
        query: query.data as Parsed<Q>,
        body: body.data as Parsed<B>,
      });
      return reply
        .code(route.success.status)
        .header('cache-control', 'no-store')
        .send(route.success.schema.parse(result));
    },
  });
}
