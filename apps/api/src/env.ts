import { z } from 'zod';

/**
 * The only reader of `process.env`. Every setting is validated here, at start, with a
 * message that names the variable, so a misconfigured deployment fails before it serves.
 */
const ZEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where the SPA is served from; its origin is the only one allowed to change state. */
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  /** Extra origins allowed for state-changing requests (comma-separated), e.g. the Vite dev server. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  /** PostgreSQL server; when unset the embedded PGlite database under DATA_DIR is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Sliding session lifetime: a session unused for this long ends. */
  SESSION_IDLE_DAYS: z.coerce.number().positive().max(90).default(14),
  /** Absolute session lifetime: a session ends this long after sign-in, however active. */
  SESSION_ABSOLUTE_DAYS: z.coerce.number().positive().max(365).default(30),
  /** Sign-in attempts allowed per client IP and per email within SIGN_IN_WINDOW_MINUTES. */
  SIGN_IN_MAX_PER_IP: z.coerce.number().int().positive().default(30),
  SIGN_IN_MAX_PER_EMAIL: z.coerce.number().int().positive().default(10),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /** Trust X-Forwarded-* from this many proxy hops (0 = use the socket address). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How often due key work runs (roll grace ends, enterprise auto-renew). */
  KEY_MAINTENANCE_PERIOD_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** §3 failed attempts: this many INVALID/MISSING answers to one IP within the window block it. */
  IP_BLOCK_MAX_FAILURES: z.coerce.number().int().positive().default(20),
  IP_BLOCK_WINDOW_MINUTES: z.coerce.number().positive().default(5),
  IP_BLOCK_MINUTES: z.coerce.number().positive().default(15),
  /** How long a cached key may be served without a change notice (changes are pushed; this is a backstop). */
  KEY_CACHE_TTL_SECONDS: z.coerce.number().positive().max(3600).default(60),
  /** How often batched request logs, last-use times and usage buckets are written. */
  FLUSH_PERIOD_MS: z.coerce.number().int().min(10).max(10_000).default(1000),
  /** Directory of the built SPA; served at / when it exists. */
  WEB_DIST_DIR: z.string().optional(),
});

export type TEnv = z.infer<typeof ZEnvSchema>;

/** Thrown when the environment does not validate; the message lists every bad variable. */
export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses a set of variables (process.env by default) into a typed configuration. */
export function loadEnv(source: Record<string, string | undefined> = process.env): TEnv {
  const result = ZEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
