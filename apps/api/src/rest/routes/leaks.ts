import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  KEYSMITH_TOKEN_TYPE,
  MAX_UNSIGNED_REPORTS,
  ZLeakReportAnswerSchema,
  ZLeakReportBodySchema,
} from '../../modules/leak/leak.schemas.js';
import { handleLeakReports, type LeakReporter } from '../../modules/leak/leak.service.js';
import { checkScannerSignature } from '../../modules/leak/scanner-keys.js';
import type { AppServices } from '../../services.js';
import { EXAMPLE_KEY } from '../openapi-examples.js';
import { sendError } from '../rest-errors.js';
import { fastifyPath, type RestOperation } from '../rest-route.js';
import { zodFields } from '../rest-schemas.js';

const KEY_ID_HEADER = 'github-public-key-identifier';
const SIGNATURE_HEADER = 'github-public-key-signature';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a leak report's body: the scanner's signature covers them, not re-serialised JSON. */
    leakRawBody?: Buffer;
  }
}

/** What the OpenAPI document says about `POST /v1/leaks`. */
export const leaksOperation: RestOperation = {
  method: 'POST',
  path: '/leaks',
  operationId: 'reportLeakedKeys',
  summary: 'Report leaked keys',
  description:
    "Secret scanners (GitHub's secret scanning partner program) and anyone holding a full key report keys " +
    "found in public. Each token that is a real key is handled by its organization's leak policy (revoke by " +
    'default, deactivate, or notify), within a second on every node, and recorded (security event, audit, ' +
    '`key.leaked` webhook). The answer labels each token, in order; a token that is not a key is ' +
    '`false_positive`, with no hint whether its id exists. With `Github-Public-Key-Identifier` and ' +
    '`Github-Public-Key-Signature` (ECDSA P-256 / SHA-256 over the exact body, base64 DER) the signature ' +
    `must verify (else 401 \`INVALID_SIGNATURE\`); without them the report is accepted too (possession ` +
    `proves the leak), at most ${MAX_UNSIGNED_REPORTS} tokens per request and rate-limited per IP (429).`,
  auth: 'public',
  body: {
    name: 'LeakReportRequest',
    schema: ZLeakReportBodySchema,
    example: [
      {
        token: EXAMPLE_KEY,
        type: KEYSMITH_TOKEN_TYPE,
        url: 'https://github.com/octo-org/octo-repo/blob/2f1e0c9/config/prod.env',
        source: 'content',
      },
    ],
  },
  success: {
    name: 'LeakReportResult',
    schema: ZLeakReportAnswerSchema,
    status: 200,
    description: 'One label per reported token, in order',
    example: [{ token_raw: EXAMPLE_KEY, token_type: KEYSMITH_TOKEN_TYPE, label: 'true_positive' }],
  },
  extraErrors: [401, 429],
};

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * `POST /v1/leaks` (§11), in its own scope: its JSON parser keeps the raw bytes for the
 * signature check (the `/v1` hooks and error handler still apply). Order: signature (or, when
 * unsigned, the per-IP throttle) before the body is even parsed, so garbage costs nothing.
 */
export function registerLeaksRoute(server: FastifyInstance, app: AppServices): void {
  void server.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const raw = body as Buffer;
      request.leakRawBody = raw;
      parseJson(request, raw.toString('utf8'), done);
    });

    scope.post(fastifyPath(leaksOperation.path), async (request, reply) => {
      const identifier = header(request, KEY_ID_HEADER);
      const signature = header(request, SIGNATURE_HEADER);
      let reporter: LeakReporter;
      if (identifier !== undefined || signature !== undefined) {
        if (app.leaks.scannerKeys.size === 0) {
          app.log.warn('signed leak report refused: LEAK_SCANNER_PUBLIC_KEYS is not configured');
        }
        const check =
          identifier && signature && request.leakRawBody
            ? checkScannerSignature(app.leaks.scannerKeys, identifier, signature, request.leakRawBody)
            : 'bad_signature';
        if (check !== 'valid') {
          return sendError(request, reply, 401, 'INVALID_SIGNATURE', 'Invalid signature');
        }
        reporter = { kind: 'scanner', keyIdentifier: identifier ?? '', ip: request.ip };
      } else {
        const decision = await app.leaks.throttle.admit(request.ip, Date.now());
        if (!decision.allowed) {
          reply.header('Retry-After', String(Math.ceil(decision.retryAfterMs / 1000)));
          return sendError(
            request,
            reply,
            429,
            'RATE_LIMITED',
            'Too many unsigned leak reports from this address; try again later',
          );
        }
        reporter = { kind: 'public', ip: request.ip };
      }
      const body = ZLeakReportBodySchema.safeParse(request.body);
      if (!body.success) {
        return sendError(request, reply, 400, 'VALIDATION', 'Invalid request body', zodFields(body.error));
      }
      if (reporter.kind === 'public' && body.data.length > MAX_UNSIGNED_REPORTS) {
        return sendError(request, reply, 400, 'VALIDATION', 'Invalid request body', {
          body: `At most ${MAX_UNSIGNED_REPORTS} reports per unsigned request`,
        });
      }
      const outcomes = await handleLeakReports(
        { em: () => app.orm.em.fork(), changes: app.keyChanges },
        body.data,
        reporter,
      );
      const answer = body.data.map((report, i) => ({
        token_raw: report.token,
        token_type: KEYSMITH_TOKEN_TYPE,
        label: outcomes[i]?.label ?? 'false_positive',
      }));
      return reply.code(200).header('cache-control', 'no-store').send(ZLeakReportAnswerSchema.parse(answer));
    });
  });
}
