import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { newId, requestIdGenerator } from './db/ids.js';
import { createOriginGuard } from './http/origin-guard.js';
import { loadSpaPage } from './http/spa-page.js';
import { requestLoggerFactory } from './logger.js';
import { loadLogo } from './modules/space/space-logo.js';
import { restPlugin } from './rest/plugin.js';
import { sendError } from './rest/rest-errors.js';
import type { AppServices } from './services.js';
import { createContext } from './trpc/context.js';
import { type AppRouter, appRouter, createCaller } from './trpc/root.js';

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * `/metrics` holds no tenant data but tells volumes: it answers on loopback (a local scraper or
 * sidecar), or anywhere to `Authorization: Bearer <METRICS_TOKEN>`; otherwise it does not exist.
 */
export function metricsAllowed(
  ip: string,
  authorization: string | undefined,
  token: string | undefined,
): boolean {
  if (token !== undefined && authorization !== undefined) {
    const given = Buffer.from(authorization);
    const wanted = Buffer.from(`Bearer ${token}`);
    if (given.length === wanted.length && timingSafeEqual(given, wanted)) return true;
  }
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

/**
 * Vite names everything under `assets/` by a hash of its content, so a cached copy can never be
 * stale: a year, immutable. `index.html` (and anything else unhashed) names those files, so the
 * browser revalidates it on every visit and a deploy is picked up at once.
 */
export function spaCacheControl(webDist: string, filePath: string): string {
  const relative = path.relative(webDist, filePath).split(path.sep).join('/');
  return relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * `auth.me`'s answer for a page request, to render into the page (see `http/spa-page.ts`):
 * the same procedure the SPA would call, with the same cookie handling. When it cannot be had
 * (the database is away), the page goes without it and the SPA asks and shows the error itself.
 */
async function pageSession(
  app: AppServices,
  request: FastifyRequest,
): Promise<{ session: unknown; cookies: string[] }> {
  const cookies: string[] = [];
  try {
    const context = await createContext(app, {
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      cookieHeader: request.headers.cookie,
      setCookie: (value) => cookies.push(value),
    });
    return { session: await createCaller(context).auth.me(), cookies };
  } catch (error) {
    request.log.warn({ err: error }, 'page rendered without the session');
    return { session: undefined, cookies: [] };
  }
}

/** Builds the HTTP server: tRPC at /trpc, /healthz, and the built SPA at / (with history fallback). */
export async function buildServer(app: AppServices): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: app.log as FastifyBaseLogger,
    // Trust X-Forwarded-For only from the configured number of proxy hops.
    trustProxy: (_address: string, hop: number) => hop < app.env.TRUST_PROXY_HOPS,
    bodyLimit: 1024 * 1024,
    // One info line per admin request (path only: query strings can carry secrets, see
    // logger.ts); none for /v1, whose every request already gets a request_logs row, and none
    // in tests.
    logController: new LogController({
      disableRequestLogging: (request: { url?: string }) =>
        app.env.NODE_ENV === 'test' || (request.url ?? '').startsWith('/v1/'),
    }),
    routerOptions: { maxParamLength: 5000 },
    genReqId: requestIdGenerator(),
    childLoggerFactory: requestLoggerFactory as unknown as NonNullable<
      FastifyServerOptions['childLoggerFactory']
    >,
    // Requests Node's HTTP parser refuses (headers over 16 KiB, malformed requests) never reach a
    // route; they too get the §5 shape with a request id, written on the raw socket.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (error.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      const [status, reason, code, message] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [
              431,
              'Request Header Fields Too Large',
              'HEADERS_TOO_LARGE',
              'The request headers are larger than 16 KiB',
            ]
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'Request Timeout', 'TIMEOUT', 'The request took too long to arrive']
            : [400, 'Bad Request', 'VALIDATION', 'The request is not valid HTTP'];
      const body = JSON.stringify({ error: message, code, request_id: newId('req') });
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    // The router's own refusals (a path parameter over 5,000 characters, bad percent-encoding)
    // answer in the §5 error shape with a request id, like every other error.
    frameworkErrors: (error, request, reply) => {
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        return sendError(
          request,
          reply,
          414,
          'URI_TOO_LONG',
          'A path segment is longer than 5,000 characters',
        );
      }
      if (error.code === 'FST_ERR_BAD_URL') {
        return sendError(request, reply, 400, 'VALIDATION', 'The request path is not valid', {
          path: 'Invalid percent-encoding in the path',
        });
      }
      return sendError(request, reply, error.statusCode ?? 400, 'BAD_REQUEST', error.message);
    },
  });

  server.get('/metrics', async (request, reply) => {
    if (!metricsAllowed(request.ip, request.headers.authorization, app.env.METRICS_TOKEN)) {
      return sendError(request, reply, 404, 'NOT_FOUND', 'Not found');
    }
    return reply
      .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(app.metrics.render());
  });

  server.get('/healthz', async (_request, reply) => {
    try {
      await app.orm.em.fork().getConnection().execute('select 1');
      return { status: 'ok' };
    } catch (error) {
      app.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });

  // No per-request log lines on the hot path: every /v1 request already gets a request_logs row.
  await server.register(restPlugin, { prefix: '/v1', app, logLevel: 'warn' });

  await server.register(async (trpcScope) => {
    trpcScope.addHook('onRequest', createOriginGuard([app.env.PUBLIC_URL, ...app.env.ALLOWED_ORIGINS]));
    await trpcScope.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        createContext: ({ req, res }) =>
          createContext(app, {
            ip: req.ip,
            userAgent: req.headers['user-agent'] ?? null,
            cookieHeader: req.headers.cookie,
            setCookie: (value) => {
              const existing = res.getHeader('set-cookie');
              const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
              void res.header('set-cookie', [...list, value]);
            },
          }),
        responseMeta: () => ({ headers: new Headers({ 'cache-control': 'no-store' }) }),
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    });
  });

  // Uploaded space logos: named by their content hash, so cached for good. SVGs are checked
  // against an allowlist on upload and served with a CSP that forbids scripts anyway.
  server.get('/logos/:file', { logLevel: 'warn' }, async (request, reply) => {
    const logo = await loadLogo(app.orm.em.fork(), request.url.split('?')[0] ?? '');
    if (!logo) return reply.code(404).send({ error: 'Not found', code: 'NOT_FOUND' });
    void reply
      .header('content-type', logo.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    return reply.send(logo.content);
  });

  const webDist = path.resolve(app.env.WEB_DIST_DIR ?? DEFAULT_WEB_DIST);
  if (existsSync(path.join(webDist, 'index.html'))) {
    const page = loadSpaPage(webDist);
    await server.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      // `/` is a page like any other: rendered below with its preloads and the session.
      index: false,
      // The build writes `.br` and `.gz` beside each text asset (apps/web/precompress.ts):
      // served by Accept-Encoding, with `Vary: Accept-Encoding`, and no compression per request.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => reply.header('cache-control', spaCacheControl(webDist, filePath)),
    });
    server.setNotFoundHandler((request, reply) => {
      const isPage =
        (request.method === 'GET' || request.method === 'HEAD') && !/^\/(trpc|v1)(\/|$)/.test(request.url);
      if (!isPage || !request.headers.accept?.includes('text/html')) {
        return sendError(request, reply, 404, 'NOT_FOUND', 'Not found');
      }
      return pageSession(app, request).then(({ session, cookies }) => {
        if (cookies.length > 0) void reply.header('set-cookie', cookies);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'private, no-cache')
          .header('vary', 'Cookie')
          .send(page.render(request.url.split('?')[0] ?? '/', session));
      });
    });
  } else {
    app.log.warn({ webDist }, 'SPA build not found; serving the API only (run `pnpm build`)');
  }
  return server;
}
