import type { Logger } from 'pino';
import { SessionManager } from './auth/session.js';
import { SlidingLogThrottle } from './auth/sliding-log-throttle.js';
import type { Orm } from './db/orm.js';
import type { TEnv } from './env.js';
import { InProcessKeyChanges } from './modules/api-key/key-changes.js';
import { createVerification, type Verification } from './verify/verification.js';

/** Long-lived, process-wide collaborators shared by tRPC, REST and the CLI. */
export interface AppServices {
  env: TEnv;
  orm: Orm;
  log: Logger;
  sessions: SessionManager;
  signInThrottle: { byIp: SlidingLogThrottle; byEmail: SlidingLogThrottle };
  /** Announces key changes to the verification caches of this process (and, with Redis, of all). */
  keyChanges: InProcessKeyChanges;
  /** The hot path: key cache, counters, batched writers. */
  verification: Verification;
}

export function createServices(env: TEnv, orm: Orm, log: Logger): AppServices {
  const windowMs = env.SIGN_IN_WINDOW_MINUTES * 60_000;
  const keyChanges = new InProcessKeyChanges();
  const verification = createVerification(env, orm, log);
  // A change drops the cached record at once; the next request reloads it from the database.
  keyChanges.subscribe((_organizationId, keyId) => verification.keys.invalidate(keyId));
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
      byIp: new SlidingLogThrottle(env.SIGN_IN_MAX_PER_IP, windowMs),
      byEmail: new SlidingLogThrottle(env.SIGN_IN_MAX_PER_EMAIL, windowMs),
    },
    keyChanges,
    verification,
  };
}
