import type { Logger } from 'pino';
import {
  DatabaseAttemptThrottle,
  RedisAttemptThrottle,
  type SignInThrottle,
} from './auth/attempt-throttle.js';
import { SessionManager } from './auth/session.js';
import type { Orm } from './db/orm.js';
import type { TEnv } from './env.js';
import { Metrics } from './metrics.js';
import type { InProcessKeyChanges } from './modules/api-key/key-changes.js';
import { loadEncryptionKey, SecretBox } from './modules/webhook/secret-box.js';
import { createVerification, type Verification } from './verify/verification.js';

/** Long-lived, process-wide collaborators shared by tRPC, REST and the CLI. */
export interface AppServices {
  env: TEnv;
  orm: Orm;
  log: Logger;
  sessions: SessionManager;
  /** Sign-in attempts per IP and per (email, IP), shared by every process (decision 0012). */
  signInThrottle: SignInThrottle;
  /** Announces key changes to the verification caches of this process (and, with Redis, of all). */
  keyChanges: InProcessKeyChanges;
  /** The hot path: key cache, counters, batched writers. */
  verification: Verification;
  /** Encrypts and decrypts webhook signing secrets (AES-256-GCM under ENCRYPTION_KEY). */
  secretBox: SecretBox;
  /** Operational counters and gauges, served at `GET /metrics`. */
  metrics: Metrics;
}

export function createServices(env: TEnv, orm: Orm, log: Logger): AppServices {
  const windowMs = env.SIGN_IN_WINDOW_MINUTES * 60_000;
  const metrics = new Metrics();
  const verification = createVerification(env, orm, log, metrics);
  // In-process in embedded mode; with REDIS_URL also fanned out to every API process.
  const keyChanges = verification.changes;
  return {
    env,
    orm,
    log,
    sessions: new SessionManager(orm, {
      idleDays: env.SESSION_IDLE_DAYS,
      absoluteDays: env.SESSION_ABSOLUTE_DAYS,
      secureCookie: new URL(env.PUBLIC_URL).protocol === 'https:',
    }),
    signInThrottle: {
      throttle: verification.redis
        ? new RedisAttemptThrottle(
            verification.redis,
            env.REDIS_KEY_PREFIX,
            new DatabaseAttemptThrottle(orm),
            log,
          )
        : new DatabaseAttemptThrottle(orm),
      perIp: { limit: env.SIGN_IN_MAX_PER_IP, windowMs },
      perEmailAndIp: { limit: env.SIGN_IN_MAX_PER_EMAIL, windowMs },
    },
    keyChanges,
    verification,
    secretBox: new SecretBox(loadEncryptionKey(env).key),
    metrics,
  };
}
