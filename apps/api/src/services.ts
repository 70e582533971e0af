import type { Logger } from 'pino';
import {
  DatabaseAttemptThrottle,
  RedisAttemptThrottle,
  type SignInThrottle,
} from './auth/attempt-throttle.js';
import { SessionManager } from './auth/session.js';
import type { Orm } from './db/orm.js';
import type { TEnv } from './env.js';
import { Metrics, watchEventLoop } from './metrics.js';
import type { InProcessKeyChanges } from './modules/api-key/key-changes.js';
import { type LeakReportThrottle, SharedLeakReportThrottle } from './modules/leak/leak-throttle.js';
import { loadScannerPublicKeys, type ScannerPublicKeys } from './modules/leak/scanner-keys.js';
import { SecurityMonitor } from './modules/security/security-monitor.js';
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
  /** Leak reports (§11): the scanner's public keys, and the per-IP limit of unsigned reports. */
  leaks: { scannerKeys: ScannerPublicKeys; throttle: LeakReportThrottle };
}

export function createServices(env: TEnv, orm: Orm, log: Logger): AppServices {
  const windowMs = env.SIGN_IN_WINDOW_MINUTES * 60_000;
  const metrics = new Metrics();
  watchEventLoop(metrics);
  const verification = createVerification(env, orm, log, metrics, {
    security: (ipPolicy) => new SecurityMonitor(orm, log, ipPolicy, metrics),
  });
  // In-process in embedded mode; with REDIS_URL also fanned out to every API process.
  const keyChanges = verification.changes;
  // Sign-in attempts and unsigned leak reports, counted for every process alike (decision 0012).
  const attempts = verification.redis
    ? new RedisAttemptThrottle(
        verification.redis,
        env.REDIS_KEY_PREFIX,
        new DatabaseAttemptThrottle(orm),
        log,
      )
    : new DatabaseAttemptThrottle(orm);
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
      throttle: attempts,
      perIp: { limit: env.SIGN_IN_MAX_PER_IP, windowMs },
      perEmailAndIp: { limit: env.SIGN_IN_MAX_PER_EMAIL, windowMs },
    },
    keyChanges,
    verification,
    secretBox: new SecretBox(loadEncryptionKey(env).key),
    metrics,
    leaks: {
      scannerKeys: loadScannerPublicKeys(env.LEAK_SCANNER_PUBLIC_KEYS),
      throttle: new SharedLeakReportThrottle(attempts, {
        limit: env.LEAK_REPORT_MAX_PER_IP,
        windowMs: env.LEAK_REPORT_WINDOW_MINUTES * 60_000,
      }),
    },
  };
}
