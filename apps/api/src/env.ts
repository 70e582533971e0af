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
  /** First segment of every Redis key and channel; lets several deployments (or test runs) share a server. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'must be 1-32 letters, digits, `_`, `.` or `-`')
    .default('ks'),
  /** A Redis command without a reply after this long fails, and the hot path uses its fallbacks. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(500),
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
  /**
   * How often one process runs the key-policy jobs (§10: idle deactivation, rotation reminders).
   * Their rules count in days, and each run scans the keys of organizations with such rules.
   */
  KEY_POLICY_PERIOD_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /**
   * §11: path of a JSON file with the secret scanner's ECDSA P-256 public keys, in the shape of
   * https://api.github.com/meta/public_keys/secret_scanning. Unset: signed leak reports are refused.
   */
  LEAK_SCANNER_PUBLIC_KEYS: z.string().trim().min(1).optional(),
  /** §11: unsigned leak reports (`POST /v1/leaks` without a scanner signature) allowed per IP and window. */
  LEAK_REPORT_MAX_PER_IP: z.coerce.number().int().positive().default(10),
  LEAK_REPORT_WINDOW_MINUTES: z.coerce.number().positive().default(10),
  /** §3 failed attempts: this many INVALID/MISSING answers to one IP within the window block it. */
  IP_BLOCK_MAX_FAILURES: z.coerce.number().int().positive().default(20),
  IP_BLOCK_WINDOW_MINUTES: z.coerce.number().positive().default(5),
  IP_BLOCK_MINUTES: z.coerce.number().positive().default(15),
  /** How long a cached key may be served without a change notice (changes are pushed; this is a backstop). */
  KEY_CACHE_TTL_SECONDS: z.coerce.number().positive().max(3600).default(60),
  /**
   * How often each process reads the database's key change log, so a change made by another
   * process (or the CLI) is seen within this time even without Redis (§2.2: within 1 s).
   */
  KEY_CHANGE_POLL_MS: z.coerce.number().int().min(50).max(1000).default(400),
  /** How often batched request logs, last-use times and usage buckets are written. */
  // Short periods keep each batch small: on embedded PGlite a flush runs on the event loop.
  FLUSH_PERIOD_MS: z.coerce.number().int().min(10).max(10_000).default(200),
  /**
   * Request-log rows a process keeps in memory while the database does not answer; beyond it,
   * new rows are dropped and counted (`/metrics`), so an outage can never exhaust memory.
   */
  REQUEST_LOG_BUFFER_MAX: z.coerce.number().int().min(1000).max(10_000_000).default(200_000),
  /** Request logs older than this are deleted (in batches, hourly). */
  REQUEST_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Bearer token that opens `GET /metrics` to non-loopback scrapers (unset: loopback only). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Directory of the built SPA; served at / when it exists. */
  WEB_DIST_DIR: z.string().optional(),
  /**
   * 32 random bytes, base64 (`openssl rand -base64 32`): encrypts webhook signing secrets.
   * Unset: a key generated once under DATA_DIR; required in production with DATABASE_URL,
   * where every API process must use the same key.
   */
  ENCRYPTION_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  /** Allow webhook URLs to reach private, loopback and link-local addresses, and plain http (local receivers, tests). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** How often the webhook worker looks for due deliveries. */
  WEBHOOK_WORKER_PERIOD_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Time limit of one delivery attempt (connect, send, answer). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Multiplies the retry schedule (1 min … 24 h); tests shrink it, e.g. 0.001. */
  WEBHOOK_BACKOFF_SCALE: z.coerce.number().positive().max(1).default(1),
  /** Deliveries one process sends at the same time. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
});

export type TEnv = z.infer<typeof ZEnvSchema>;

/** Thrown when the environment does not validate; the message lists every bad variable. */
export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses a set of variables (process.env by default) into a typed configuration. */
export function loadEnv(source: Record<string, string | undefined> = process.env): TEnv {
  const result = ZEnvSchema.superRefine((env, issues) => {
    if (env.NODE_ENV === 'production' && env.DATABASE_URL && !env.ENCRYPTION_KEY) {
      issues.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message:
          'required in production with DATABASE_URL: every API process must encrypt webhook secrets with ' +
          'the same key. Generate one with `openssl rand -base64 32` and give it to every process',
      });
    }
  }).safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
