import type { AuthenticatedSession } from '../auth/session.js';
import type { Em } from '../db/orm.js';
import type { AppServices } from '../services.js';

/** Everything a procedure may use. Built once per request, with its own EntityManager fork. */
export interface TrpcContext {
  app: AppServices;
  em: Em;
  ip: string | null;
  userAgent: string | null;
  /** The raw session token from the cookie (only to end that session). */
  sessionToken: string | null;
  auth: AuthenticatedSession | null;
  /** Adds a Set-Cookie header to the response. */
  setCookie: (value: string) => void;
}

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
  cookieHeader: string | undefined;
  setCookie: (value: string) => void;
}

export async function createContext(app: AppServices, req: RequestInfo): Promise<TrpcContext> {
  const sessionToken = app.sessions.readToken(req.cookieHeader);
  let auth: AuthenticatedSession | null = null;
  if (sessionToken) {
    auth = await app.sessions.validate(sessionToken);
    if (!auth) req.setCookie(app.sessions.blankCookie());
    else if (auth.refreshedCookie) req.setCookie(auth.refreshedCookie);
  }
  return {
    app,
    em: app.orm.em.fork(),
    ip: req.ip,
    userAgent: req.userAgent,
    sessionToken: auth ? sessionToken : null,
    auth,
    setCookie: req.setCookie,
  };
}
