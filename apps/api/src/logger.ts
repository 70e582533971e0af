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

export function createLogger(env: Pick<TEnv, 'LOG_LEVEL'>, destination?: pino.DestinationStream): Logger {
  return pino({ level: env.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
