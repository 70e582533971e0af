/**
 * Typed failures thrown by services. The tRPC error formatter and the REST layer map them
 * to their wire shapes; services never know which transport called them.
 */
export type TAppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PRECONDITION_FAILED';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: TAppErrorCode,
    message: string,
    /** Field-level messages for forms, keyed by input field name. */
    readonly fields?: Record<string, string>,
    /** Seconds after which a refused request may be retried. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  static field(code: TAppErrorCode, field: string, message: string): AppError {
    return new AppError(code, message, { [field]: message });
  }
}

/** True for PostgreSQL unique-constraint violations (SQLSTATE 23505), on both drivers. */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (e.name === 'UniqueConstraintViolationException' || e.code === '23505') return true;
  return e.cause !== undefined && e.cause !== error && isUniqueViolation(e.cause);
}
