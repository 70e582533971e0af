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

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogFn = (...args: unknown[]) => void;

/**
 * A request's logger, made on first use. Fastify gives every request a child logger bound to
 * its id, and with redaction configured pino runs the bindings through the redactor for each
 * one: tens of kilobytes of garbage per `/v1` call that logs nothing on its way (measured with
 * a heap profile, issue 10). The level is the route's (Fastify passes one for routes that set
 * it) or the parent's.
 */
class LazyChildLogger {
  private real: Logger | null = null;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: pino.Bindings,
    private readonly options: pino.ChildLoggerOptions,
  ) {}

  private get child_(): Logger {
    this.real ??= this.parent.child(this.bindings, this.options);
    return this.real;
  }

  get level(): string {
    return this.options.level ?? this.parent.level;
  }

  isLevelEnabled(level: string): boolean {
    if (this.options.level === undefined) return this.parent.isLevelEnabled(level);
    const values = this.parent.levels.values;
    return (values[level] ?? Number.POSITIVE_INFINITY) >= (values[this.options.level] ?? 0);
  }

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
    return this.child_.child(bindings, options);
  }

  silent(): void {}
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  private write(level: LevelName, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    (this.child_[level] as LogFn).apply(this.child_, args);
  }
}

/** Fastify's `childLoggerFactory`: the request's child logger, made when something is logged. */
export function requestLoggerFactory(
  logger: Logger,
  bindings: pino.Bindings,
  options: pino.ChildLoggerOptions,
): Logger {
  return new LazyChildLogger(logger, bindings, options) as unknown as Logger;
}
