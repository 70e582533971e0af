import {
  headerValue,
  KeysmithGuard,
  type KeysmithGuardOptions,
  type KeysmithRouteOptions,
  type KeysmithVerification,
  routeValue,
} from './guard.js';

/**
 * The parts of an Express (or Connect, Polka, plain `node:http`) request the middleware
 * reads: structural, so the SDK needs no Express types at run time or in its declarations.
 */
export interface ExpressLikeRequest {
  method: string;
  headers: { [name: string]: string | string[] | undefined };
  /** Express's client IP (honours `app.set('trust proxy', …)`). */
  ip?: string | undefined;
  originalUrl?: string;
  url?: string;
  baseUrl?: string;
  /** The matched route (set when the middleware is mounted on a route). */
  route?: { path?: unknown } | undefined;
  socket?: { remoteAddress?: string | undefined } | undefined;
  keysmith?: KeysmithVerification | null;
}

/** The parts of a response the middleware writes: those of `node:http`'s `ServerResponse`. */
export interface ExpressLikeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/** Options of {@link keysmithExpress}. */
export interface KeysmithExpressOptions<Req extends ExpressLikeRequest = ExpressLikeRequest>
  extends KeysmithGuardOptions,
    KeysmithRouteOptions<Req> {}

declare global {
  namespace Express {
    interface Request {
      /** The consumer key's verification, set by the Keysmith middleware on admitted requests. */
      keysmith?: KeysmithVerification | null;
    }
  }
}

function defaultEndpoint(request: ExpressLikeRequest): string {
  const pattern = typeof request.route?.path === 'string' ? request.route.path : null;
  const path =
    pattern === null ? (request.originalUrl ?? request.url ?? '/') : `${request.baseUrl ?? ''}${pattern}`;
  return `${request.method} ${path.split('?')[0]}`;
}

/**
 * Express middleware: refuses the request exactly as §3 unless it carries a valid Keysmith
 * key with the scopes; otherwise sets `req.keysmith` and the rate-limit headers and calls
 * `next()`. Works with any `node:http`-style framework (Connect, Polka).
 *
 * @example
 * app.get('/tasks', keysmithExpress({ client: keysmith, scopes: ['tasks:read'] }), (req, res) => res.json(tasksOf(req.keysmith?.key_id)));
 */
export function keysmithExpress<Req extends ExpressLikeRequest = ExpressLikeRequest>(
  options: KeysmithExpressOptions<Req>,
): (request: Req, response: ExpressLikeResponse, next: (error?: unknown) => void) => void {
  const guard = new KeysmithGuard(options);
  return (request, response, next) => {
    guard
      .check({
        authorization: headerValue(request.headers.authorization),
        apiKey: headerValue(request.headers['x-api-key']),
        ip: routeValue(options.clientIp, request) ?? request.ip ?? request.socket?.remoteAddress,
        endpoint: routeValue(options.endpoint, request) ?? defaultEndpoint(request),
        scopes: guard.scopes,
        cost: routeValue(options.cost, request) ?? guard.cost,
      })
      .then((decision) => {
        for (const [name, value] of Object.entries(decision.headers)) response.setHeader(name, value);
        if (!decision.admitted) {
          response.statusCode = decision.status;
          response.setHeader('Content-Type', 'application/json; charset=utf-8');
          response.end(JSON.stringify(decision.body));
          return;
        }
        request.keysmith = decision.verification;
        next();
      }, next);
  };
}

export type { KeysmithVerification } from './guard.js';
