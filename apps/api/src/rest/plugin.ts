import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import type { AppServices } from '../services.js';
import { sendAppError, sendError } from './rest-errors.js';
import { registerRestRoutes } from './route-table.js';

/**
 * `/v1`: the REST API for API consumers (§5). Plain Fastify routes (tRPC's overhead would
 * cost the hot path too much), JSON only, errors in the §3/§5 shape, one request-log row per
 * request whose key was identified, written in batches after the response.
 */
export async function restPlugin(server: FastifyInstance, options: { app: AppServices }): Promise<void> {
  const { app } = options;

  // JSON bodies through Fastify's own (prototype-poisoning safe) parser, except that an empty
  // body is no body: a POST such as a roll may send `Content-Type: application/json` and nothing.
  const json = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    json(request, body.toString(), done);
  });

  // Callback-style hooks: an async hook costs a promise per request on the hot path.
  server.addHook('onRequest', (request, reply, done) => {
    const method = request.method;
    if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
      const type = request.headers['content-type'];
      const length = request.headers['content-length'];
      const hasBody =
        length !== undefined ? length !== '0' : request.headers['transfer-encoding'] !== undefined;
      if (hasBody && !(type ?? '').toLowerCase().startsWith('application/json')) {
        sendError(request, reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
        return;
      }
    }
    done();
  });

  server.addHook('onResponse', (request, reply, done) => {
    done();
    const outcome = request.verifyOutcome;
    const key = outcome?.key;
    if (!outcome || !key || outcome.code === 'INVALID') return;
    app.verification.logs.push(
      {
        organizationId: key.organizationId,
        spaceId: key.spaceId,
        keyId: key.id,
        time: Date.now(),
        method: request.method,
        endpoint: (request.routeOptions.url ?? request.url).slice(0, 512),
        status: reply.statusCode,
        durationMs: reply.elapsedTime,
        ip: request.ip,
        credits: outcome.credits,
        code: outcome.code,
      },
      outcome.code === 'VALID',
    );
  });

  server.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendAppError(request, reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(request, reply, 413, 'PAYLOAD_TOO_LARGE', 'Request body is larger than 1 MiB');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(
        request,
        reply,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the request body as application/json',
      );
    }
    if (
      error.statusCode === 400 ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      error instanceof SyntaxError
    ) {
      return sendError(request, reply, 400, 'VALIDATION', 'The request body is not valid JSON', {
        body: error.message,
      });
    }
    app.log.error({ err: error, url: request.url }, 'unhandled /v1 error');
    return sendError(request, reply, 500, 'INTERNAL', 'Something went wrong on our side; please try again.');
  });

  server.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, 'NOT_FOUND', 'No such endpoint'),
  );

  registerRestRoutes(server, app);
}
