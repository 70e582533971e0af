import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkRouteSettings,
  headerValue,
  KeysmithGuard,
  type KeysmithGuardOptions,
  type KeysmithRouteOptions,
  type KeysmithVerification,
  routeValue,
} from './guard.js';

/** Per-route settings of the Fastify plugin (`config: { keysmith: … }`), or `false` for a public route. */
export type KeysmithFastifyRouteOptions = KeysmithRouteOptions<FastifyRequest> | false;

/** Options of {@link keysmithFastify}: the client and fail-open settings, and route defaults. */
export interface KeysmithFastifyOptions extends KeysmithGuardOptions, KeysmithRouteOptions<FastifyRequest> {}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Keysmith settings of this route; `false` leaves it unprotected. */
    keysmith?: KeysmithFastifyRouteOptions;
  }
  interface FastifyRequest {
    /** The consumer key's verification, set by the Keysmith plugin on admitted requests; null elsewhere. */
    keysmith: KeysmithVerification | null;
  }
}

function defaultEndpoint(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
}

/**
 * Fastify plugin: every route registered after it in the same context (the plugin is not
 * encapsulated) needs a valid Keysmith key. A route narrows or replaces the defaults with
 * `config: { keysmith: { scopes, cost, endpoint } }`, or opts out with `config: { keysmith: false }`.
 * Runs as an `onRequest` hook, so a refused request's body is never parsed; CORS preflights
 * (`OPTIONS` without route settings) pass untouched. The consumer's
 * IP is `request.ip` (set Fastify's `trustProxy` behind a proxy) unless `clientIp` says otherwise.
 *
 * @example
 * await app.register(keysmithFastify, { client: keysmith });
 * app.get('/tasks', { config: { keysmith: { scopes: ['tasks:read'] } } }, (request) => tasksOf(request.keysmith?.key_id));
 */
export const keysmithFastify: FastifyPluginAsync<KeysmithFastifyOptions> = async (fastify, options) => {
  const guard = new KeysmithGuard(options);
  if (!fastify.hasRequestDecorator('keysmith')) fastify.decorateRequest('keysmith', null);
  fastify.addHook('onRoute', (route) => {
    const settings = route.config?.keysmith;
    if (settings)
      checkRouteSettings(`Keysmith on ${route.method} ${route.url}`, settings.scopes, settings.cost);
  });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.config.keysmith;
    if (route === false) return;
    // A CORS preflight carries no credentials by design: leave it to the CORS handler,
    // unless the route itself is an OPTIONS route with Keysmith settings.
    if (request.method === 'OPTIONS' && route === undefined) return;
    const decision = await guard.check({
      authorization: request.headers.authorization,
      apiKey: headerValue(request.headers['x-api-key']),
      ip: routeValue(route?.clientIp ?? options.clientIp, request) ?? request.ip,
      endpoint: routeValue(route?.endpoint ?? options.endpoint, request) ?? defaultEndpoint(request),
      scopes: route?.scopes ?? guard.scopes,
      cost: routeValue(route?.cost ?? options.cost, request) ?? guard.cost,
    });
    reply.headers(decision.headers);
    if (!decision.admitted) return reply.code(decision.status).send(decision.body);
    request.keysmith = decision.verification;
  });
};

// Not encapsulated (what `fastify-plugin` does, without the dependency): the hook applies to
// the context that registers the plugin.
Object.assign(keysmithFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@keysmith/sdk',
});

export type { KeysmithVerification } from './guard.js';
