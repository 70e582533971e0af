import type { FastifyReply, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for the cookie-authenticated admin API: a state-changing request is served
 * only when the browser says it comes from the SPA, either by an Origin header naming an
 * allowed origin (or this very host) or, without Origin, by `Sec-Fetch-Site: same-origin`.
 * Requests that carry neither are refused: every browser that sends cookies sends one.
 */
export function createOriginGuard(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins.map((o) => new URL(o).origin));
  return async function originGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (allowed.has(origin) || isSameHost(origin, request.headers.host)) return;
    } else if (request.headers['sec-fetch-site'] === 'same-origin') {
      return;
    }
    await reply.code(403).send({
      error: {
        message: 'Cross-site request refused: the Origin is not the Keysmith admin',
        code: 'FORBIDDEN',
      },
    });
  };
}

function isSameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
