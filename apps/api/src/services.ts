import type { Logger } from 'pino';
import { SessionManager } from './auth/session.js';
import { SlidingLogThrottle } from './auth/sliding-log-throttle.js';
import type { Orm } from './db/orm.js';
import { InProcessKeyChanges } from './modules/api-key/key-changes.js';
import type { TEnv } from './env.js';

/** Long-lived, process-wide collaborators shared by tRPC, REST and the CLI. */
export interface AppServices {
  env: TEnv;
  orm: Orm;
  log: Logger;
  sessions: SessionManager;
  signInThrottle: { byIp: SlidingLogThrottle; byEmail: SlidingLogThrottle };
  /** Announces key changes to the verification caches of this process (and, with Redis, of all). */
  keyChanges: InProcessKeyChanges;
}

export function createServices(env: TEnv, orm: Orm, log: Logger): AppServices {
  const windowMs = env.SIGN_IN_WINDOW_MINUTES * 60_000;
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
    keyChanges: new InProcessKeyChanges(),
  };
}
