import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import { Lucia, TimeSpan } from 'lucia';
import type { Orm } from '../db/orm.js';
import { sha256Hex } from '../digest.js';
import { Session } from './session.entity.js';

/**
 * Admin sessions. lucia v3 does the token and cookie bookkeeping; it lives only behind
 * this module (see docs/decisions/0002-lucia-behind-our-session-module.md), so swapping it
 * for the @oslojs-based reference code touches this file alone.
 *
 * The cookie carries a random token; the database keeps only its SHA-256. Sessions slide
 * (every use within the second half of the idle period pushes expiry forward) but never
 * outlive `absoluteExpiresAt`.
 */

interface SessionAttributes {
  absoluteExpiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}
interface UserAttributes {
  email: string;
  displayName: string;
  avatarColor: string;
}

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<SessionAttributes, UserAttributes>;
    DatabaseSessionAttributes: SessionAttributes;
    DatabaseUserAttributes: UserAttributes;
  }
}

/** lucia adapter over MikroORM that never stores a raw token: every id it receives is hashed. */
class HashedSessionAdapter implements Adapter {
  constructor(private readonly orm: Orm) {}

  async getSessionAndUser(token: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const em = this.orm.em.fork();
    const row = await em.findOne(Session, { id: sha256Hex(token) }, { populate: ['user'] });
    if (!row) return [null, null];
    const user = row.user;
    return [
      {
        id: token,
        userId: user.id,
        expiresAt: row.expiresAt,
        attributes: {
          absoluteExpiresAt: row.absoluteExpiresAt,
          ip: row.ip ?? null,
          userAgent: row.userAgent ?? null,
        },
      },
      {
        id: user.id,
        attributes: { email: user.email, displayName: user.displayName, avatarColor: user.avatarColor },
      },
    ];
  }

  /** Returns the stored digests as ids: the raw tokens are not recoverable by design. */
  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.orm.em.fork().find(Session, { user: userId });
    return rows.map((row) => ({
      id: row.id,
      userId,
      expiresAt: row.expiresAt,
      attributes: {
        absoluteExpiresAt: row.absoluteExpiresAt,
        ip: row.ip ?? null,
        userAgent: row.userAgent ?? null,
      },
    }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    const em = this.orm.em.fork();
    em.create(Session, {
      id: sha256Hex(session.id),
      user: session.userId,
      expiresAt: session.expiresAt,
      absoluteExpiresAt: session.attributes.absoluteExpiresAt,
      ip: session.attributes.ip,
      userAgent: session.attributes.userAgent,
    });
    await em.flush();
  }

  async updateSessionExpiration(token: string, expiresAt: Date): Promise<void> {
    // Sliding expiry never passes the absolute lifetime.
    await this.orm.em
      .fork()
      .getConnection()
      .execute('update sessions set expires_at = least(?, absolute_expires_at) where id = ?', [
        expiresAt,
        sha256Hex(token),
      ]);
  }

  async deleteSession(token: string): Promise<void> {
    await this.orm.em.fork().nativeDelete(Session, { id: sha256Hex(token) });
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.orm.em.fork().nativeDelete(Session, { user: userId });
  }

  async deleteExpiredSessions(): Promise<void> {
    const now = new Date();
    await this.orm.em
      .fork()
      .nativeDelete(Session, { $or: [{ expiresAt: { $lte: now } }, { absoluteExpiresAt: { $lte: now } }] });
  }
}

export interface SessionOptions {
  idleDays: number;
  absoluteDays: number;
  /** HTTPS deployments get a `__Host-` prefixed, Secure cookie. */
  secureCookie: boolean;
}

export interface AuthenticatedSession {
  user: { id: string; email: string; displayName: string; avatarColor: string };
  sessionExpiresAt: Date;
  /** A refreshed cookie to send when the expiry slid forward. */
  refreshedCookie: string | null;
}

export class SessionManager {
  private readonly lucia: Lucia<SessionAttributes, UserAttributes>;
  readonly cookieName: string;

  constructor(
    orm: Orm,
    private readonly options: SessionOptions,
  ) {
    this.cookieName = options.secureCookie ? '__Host-keysmith_session' : 'keysmith_session';
    this.lucia = new Lucia(new HashedSessionAdapter(orm), {
      sessionExpiresIn: new TimeSpan(options.idleDays * 24, 'h'),
      sessionCookie: {
        name: this.cookieName,
        expires: true,
        attributes: { secure: options.secureCookie, sameSite: 'lax', path: '/' },
      },
      getSessionAttributes: (a) => a,
      getUserAttributes: (a) => ({ email: a.email, displayName: a.displayName, avatarColor: a.avatarColor }),
    });
  }

  /** Starts a session; returns the Set-Cookie value. The token itself never leaves this call except in it. */
  async create(userId: string, meta: { ip: string | null; userAgent: string | null }): Promise<string> {
    const absoluteExpiresAt = new Date(Date.now() + this.options.absoluteDays * 86_400_000);
    const session = await this.lucia.createSession(userId, {
      absoluteExpiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    });
    return this.lucia.createSessionCookie(session.id).serialize();
  }

  /** Resolves a cookie token to its user, or null when unknown, expired or past its absolute lifetime. */
  async validate(token: string): Promise<AuthenticatedSession | null> {
    const { session, user } = await this.lucia.validateSession(token);
    if (!session) return null;
    if (session.absoluteExpiresAt.getTime() <= Date.now()) {
      await this.lucia.invalidateSession(token);
      return null;
    }
    return {
      user: { id: user.id, email: user.email, displayName: user.displayName, avatarColor: user.avatarColor },
      sessionExpiresAt: session.expiresAt,
      refreshedCookie: session.fresh ? this.lucia.createSessionCookie(token).serialize() : null,
    };
  }

  readToken(cookieHeader: string | undefined): string | null {
    return cookieHeader ? this.lucia.readSessionCookie(cookieHeader) : null;
  }

  invalidate(token: string): Promise<void> {
    return this.lucia.invalidateSession(token);
  }

  invalidateUser(userId: string): Promise<void> {
    return this.lucia.invalidateUserSessions(userId);
  }

  deleteExpired(): Promise<void> {
    return this.lucia.deleteExpiredSessions();
  }

  blankCookie(): string {
    return this.lucia.createBlankSessionCookie().serialize();
  }
}
