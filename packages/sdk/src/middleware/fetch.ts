import {
  clientIpFromForwarded,
  KeysmithGuard,
  type KeysmithGuardOptions,
  type KeysmithVerification,
} from './guard.js';

/** A request admitted by {@link withKeysmith}: the verification is on it as `keysmith`. */
export type KeysmithRequest = Request & { keysmith: KeysmithVerification };

/** Options of {@link withKeysmith}; functions get the request and the handler's other arguments. */
export interface WithKeysmithOptions<Args extends unknown[]> extends KeysmithGuardOptions {
  /** Scopes the consumer's key must hold, all of them. Default none (any valid key). */
  scopes?: readonly string[] | undefined;
  /** Credits this request costs (whole, 0–1000; default 1): a number or a function of the request. */
  cost?: number | ((request: Request, ...args: Args) => number) | undefined;
  /** What the key's request log calls this request. Default: method and URL path. */
  endpoint?: string | ((request: Request, ...args: Args) => string) | undefined;
  /**
   * The consumer's IP address (e.g. `request.headers.get('cf-connecting-ip')` on Cloudflare).
   * Default: from `X-Forwarded-For` per `trustProxyHops`, else unknown.
   */
  clientIp?: ((request: Request, ...args: Args) => string | undefined) | undefined;
  /**
   * Proxies in front of the handler whose `X-Forwarded-For` entries to trust (default 0: the
   * header is ignored); 1 takes the rightmost entry, the one your own proxy appended.
   */
  trustProxyHops?: number | undefined;
}

/** Adds headers to a handler's answer, copying it first when its headers are immutable. */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  const entries = Object.entries(headers);
  if (entries.length === 0) return response;
  try {
    for (const [name, value] of entries) response.headers.set(name, value);
    return response;
  } catch {
    // e.g. a Response from fetch() or Response.redirect(): its headers are read-only.
    const copy = new Response(response.body, response);
    for (const [name, value] of entries) copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Wraps a fetch handler (`(request) => Response`: Next.js route handlers, Cloudflare
 * Workers, Deno, Bun, Hono's `fetch`): the handler runs only for requests with a valid
 * Keysmith key holding the scopes, with the verification as `request.keysmith`, and its
 * answer gets the rate-limit headers. Every other request gets the §3 answer.
 *
 * @example
 * export const GET = withKeysmith((request) => Response.json(tasksOf(request.keysmith.key_id)), { client: keysmith, scopes: ['tasks:read'] });
 */
export function withKeysmith<Args extends unknown[]>(
  handler: (request: KeysmithRequest, ...args: Args) => Response | Promise<Response>,
  options: WithKeysmithOptions<Args>,
): (request: Request, ...args: Args) => Promise<Response> {
  const guard = new KeysmithGuard(options);
  const hops = options.trustProxyHops ?? 0;
  return async (request, ...args) => {
    const ip = options.clientIp
      ? options.clientIp(request, ...args)
      : clientIpFromForwarded(undefined, request.headers.get('x-forwarded-for') ?? undefined, hops);
    const cost = typeof options.cost === 'function' ? options.cost(request, ...args) : options.cost;
    const endpoint =
      typeof options.endpoint === 'function'
        ? options.endpoint(request, ...args)
        : (options.endpoint ?? `${request.method} ${new URL(request.url).pathname}`);
    const decision = await guard.check({
      authorization: request.headers.get('authorization') ?? undefined,
      apiKey: request.headers.get('x-api-key') ?? undefined,
      ip,
      endpoint,
      scopes: guard.scopes,
      cost: cost ?? guard.cost,
    });
    if (!decision.admitted) {
      return Response.json(decision.body, { status: decision.status, headers: decision.headers });
    }
    const admitted = Object.assign(request, { keysmith: decision.verification });
    return withHeaders(await handler(admitted, ...args), decision.headers);
  };
}
