import type { Context, MiddlewareHandler } from 'hono';
import {
  clientIpFromForwarded,
  KeysmithGuard,
  type KeysmithGuardOptions,
  type KeysmithRouteOptions,
  type KeysmithVerification,
  routeValue,
} from './guard.js';

/** Options of {@link keysmithHono}. */
export interface KeysmithHonoOptions extends KeysmithGuardOptions, KeysmithRouteOptions<Context> {
  /**
   * Proxies in front of the app whose `X-Forwarded-For` entries to trust (default 0: the
   * header is ignored). Used when `clientIp` is not given.
   */
  trustProxyHops?: number | undefined;
}

/** What the middleware adds to Hono's context: `c.get('keysmith')`. */
export interface KeysmithHonoEnv {
  Variables: { keysmith: KeysmithVerification };
}

/** The peer address on `@hono/node-server` (`c.env.incoming.socket`), read structurally. */
function nodeSocketAddress(c: Context): string | undefined {
  const env: unknown = c.env;
  if (env === null || typeof env !== 'object' || !('incoming' in env)) return undefined;
  const incoming: unknown = env.incoming;
  if (incoming === null || typeof incoming !== 'object' || !('socket' in incoming)) return undefined;
  const socket: unknown = incoming.socket;
  if (socket === null || typeof socket !== 'object' || !('remoteAddress' in socket)) return undefined;
  return typeof socket.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}

function defaultEndpoint(c: Context): string {
  const pattern = c.req.routePath;
  return `${c.req.method} ${pattern && !pattern.includes('*') ? pattern : c.req.path}`;
}

/**
 * Hono middleware: refuses the request exactly as §3 unless it carries a valid Keysmith key
 * with the scopes; otherwise `c.get('keysmith')` holds the verification and the answer gets
 * the rate-limit headers. The consumer's IP: `clientIp(c)` (e.g. with your adapter's
 * `getConnInfo`), else the socket on `@hono/node-server` and `X-Forwarded-For` per `trustProxyHops`.
 *
 * @example
 * app.get('/tasks', keysmithHono({ client: keysmith, scopes: ['tasks:read'] }), (c) => c.json(tasksOf(c.get('keysmith').key_id)));
 */
export function keysmithHono(options: KeysmithHonoOptions): MiddlewareHandler<KeysmithHonoEnv> {
  const guard = new KeysmithGuard(options);
  const hops = options.trustProxyHops ?? 0;
  return async (c, next) => {
    const decision = await guard.check({
      authorization: c.req.header('authorization'),
      apiKey: c.req.header('x-api-key'),
      ip:
        routeValue(options.clientIp, c) ??
        clientIpFromForwarded(nodeSocketAddress(c), c.req.header('x-forwarded-for'), hops),
      endpoint: routeValue(options.endpoint, c) ?? defaultEndpoint(c),
      scopes: guard.scopes,
      cost: routeValue(options.cost, c) ?? guard.cost,
    });
    if (!decision.admitted) {
      return Response.json(decision.body, { status: decision.status, headers: decision.headers });
    }
    c.set('keysmith', decision.verification);
    await next();
    for (const [name, value] of Object.entries(decision.headers)) c.header(name, value);
  };
}

export type { KeysmithVerification } from './guard.js';
