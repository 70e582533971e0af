import { type Logger, pino } from 'pino';
import type { TEnv } from './env.js';

/** Paths that may carry secrets; pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.key',
  '*.token',
];

/** Longest text of one field of a logged error: a failed batch's SQL must not make a 390 KB line. */
export const MAX_LOGGED_ERROR_TEXT = 1000;

function clip(text: string, max = MAX_LOGGED_ERROR_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/**
 * An error as one bounded log field: type, SQLSTATE or errno code, and the message and stack
 * clipped. Driver errors quote the statement they failed on, which for a batched insert can be
 * megabytes of other tenants' rows, so nothing else of the error object is logged.
 */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: clip(String(error)) };
  const coded = error as Error & { code?: unknown; sqlState?: unknown };
  return {
    type: error.name,
    ...(typeof coded.code === 'string' || typeof coded.code === 'number' ? { code: coded.code } : {}),
    ...(typeof coded.sqlState === 'string' ? { sqlState: coded.sqlState } : {}),
    message: clip(error.message),
    ...(error.stack ? { stack: clip(error.stack, 2 * MAX_LOGGED_ERROR_TEXT) } : {}),
  };
}

/**
 * The request as a log line shows it: method and route path only. Query strings are left out
 * because they can carry secrets (a tRPC GET puts its whole input there, e.g. an invitation
 * token), and headers are not logged at all.
 */
function requestSummary(req: {
  method?: string;
  url?: string;
  id?: unknown;
  ip?: string;
}): Record<string, unknown> {
  const url = typeof req.url === 'string' ? req.url : '';
  const query = url.indexOf('?');
  return {
    id: req.id,
    method: req.method,
    path: clip(query < 0 ? url : url.slice(0, query), 256),
    ...(query < 0 ? {} : { query: '[omitted]' }),
    ip: req.ip,
  };
}

export function createLogger(env: Pick<TEnv, 'LOG_LEVEL'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: errorSummary, error: errorSummary, req: requestSummary },
    },
    destination,
  );
}
