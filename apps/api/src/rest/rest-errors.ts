import {
  type ApiErrorCode,
  REST_ERROR_BY_CODE,
  VERIFY_ERROR_BY_CODE,
  type VerifyCode,
} from '@keysmith/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type TAppErrorCode } from '../errors.js';

/** §3/§5 error body: `{error, code, request_id}` (+ `fields` for validation errors). */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ApiErrorCode | string,
  error: string,
  fields?: Record<string, string>,
): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, code, request_id: request.id, ...(fields ? { fields } : {}) });
}

export function sendVerifyError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: VerifyCode,
  error?: string,
): FastifyReply {
  const spec = VERIFY_ERROR_BY_CODE[code];
  return sendError(request, reply, spec.status, code, error ?? spec.error);
}

const STATUS_OF: Record<TAppErrorCode, [number, string]> = {
  BAD_REQUEST: [400, 'VALIDATION'],
  UNAUTHORIZED: [401, 'INVALID'],
  FORBIDDEN: [403, 'FORBIDDEN'],
  NOT_FOUND: [404, 'NOT_FOUND'],
  CONFLICT: [409, 'CONFLICT'],
  TOO_MANY_REQUESTS: [429, 'RATE_LIMITED'],
  PRECONDITION_FAILED: [409, 'CONFLICT'],
};

/** Maps a service error to its REST answer; field names are converted to snake_case. */
export function sendAppError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const [status, code] = STATUS_OF[error.code];
  const fields = error.fields
    ? Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [toSnake(k), v]))
    : undefined;
  return sendError(request, reply, status, code, error.message, fields);
}

export function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export { AppError, REST_ERROR_BY_CODE };
