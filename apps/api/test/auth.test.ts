import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { Session } from '../src/auth/session.entity.js';
import { sha256Hex as hashSessionToken } from '../src/digest.js';
import { loadEnv } from '../src/env.js';
import { INVALID_CREDENTIALS } from '../src/modules/user/user.service.js';
import { createContext } from '../src/trpc/context.js';
import { createCaller } from '../src/trpc/root.js';
import { cookiePair, createTestApp, type TestApp, uniqueEmail } from './harness.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ SIGN_IN_MAX_PER_EMAIL: '3', SIGN_IN_MAX_PER_IP: '1000' });
});
afterAll(() => app.shutdown());

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe(`auth on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('signs up, sets an HttpOnly SameSite=Lax cookie, and answers me', async () => {
    const c = await app.caller();
    const email = uniqueEmail('Signup').replace('signup', 'SignUp');
    const user = await c.auth.signUp({ email, password: 'long enough pw', displayName: 'Ada Lovelace' });
    expect(user.email).toBe(email.toLowerCase());
    expect(user.initials).toBe('AL');
    const [setCookie] = c.cookies;
    expect(setCookie).toMatch(/^keysmith_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await (await app.caller(cookiePair(setCookie ?? ''))).auth.me();
    expect(me?.user.id).toBe(user.id);
    expect(me?.organizations).toEqual([]);
  });

  it('stores only the SHA-256 of the session token', async () => {
    const user = await app.signUp();
    const token = user.cookie.split('=')[1] ?? '';
    const em = app.db.orm.em.fork();
    expect(await em.count(Session, { id: token })).toBe(0);
    const row = await em.findOneOrFail(Session, { id: hashSessionToken(token) });
    expect(row.user.id).toBe(user.id);
  });

  it('refuses a second account with the same email in any case', async () => {
    const email = uniqueEmail('dup');
    await app.signUp(email);
    const error = await rejection(
      (await app.caller()).auth.signUp({
        email: email.toUpperCase(),
        password: 'another password',
        displayName: 'X',
      }),
    );
    expect(error.code).toBe('CONFLICT');
  });

  it('names the field on invalid input', async () => {
    const c = await app.caller();
    const error = await rejection(
      c.auth.signUp({ email: 'not-an-email', password: 'short', displayName: '' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const tooLong = await rejection(
      c.auth.signUp({ email: uniqueEmail(), password: 'x'.repeat(129), displayName: 'A' }),
    );
    expect(tooLong.code).toBe('BAD_REQUEST');
    expect(tooLong.message).toContain('at most 128');
  });

  it('gives the same error for an unknown email and a wrong password', async () => {
    const user = await app.signUp();
    const wrong = await rejection(
      (await app.caller()).auth.signIn({ email: user.email, password: 'wrong password' }),
    );
    const unknown = await rejection(
      (await app.caller()).auth.signIn({ email: uniqueEmail('nobody'), password: 'wrong password' }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(unknown.code).toBe('UNAUTHORIZED');
    expect(wrong.message).toBe(INVALID_CREDENTIALS);
    expect(unknown.message).toBe(INVALID_CREDENTIALS);
  });

  it('signs in with the right password, case-insensitively on email', async () => {
    const user = await app.signUp();
    const c = await app.caller();
    const signedIn = await c.auth.signIn({ email: user.email.toUpperCase(), password: user.password });
    expect(signedIn.id).toBe(user.id);
    expect(c.cookies).toHaveLength(1);
  });

  it('sign-out ends the session on the server', async () => {
    const user = await app.signUp();
    const c = await app.caller(user.cookie);
    await c.auth.signOut();
    expect(c.cookies.at(-1)).toMatch(/keysmith_session=;/);
    expect(await (await app.caller(user.cookie)).auth.me()).toBeNull();
  });

  it('a password change ends every session and issues a new one', async () => {
    const user = await app.signUp();
    const other = await (await app.caller()).auth.signIn({ email: user.email, password: user.password });
    expect(other.id).toBe(user.id);
    const c = await app.caller(user.cookie);
    await c.auth.changePassword({ currentPassword: user.password, newPassword: 'a brand new password' });
    expect(await (await app.caller(user.cookie)).auth.me()).toBeNull();
    const fresh = c.cookies.at(-1) ?? '';
    expect((await (await app.caller(cookiePair(fresh))).auth.me())?.user.id).toBe(user.id);
    await expect(
      (await app.caller()).auth.signIn({ email: user.email, password: user.password }),
    ).rejects.toThrow(INVALID_CREDENTIALS);
  });

  it('refuses a wrong current password on change', async () => {
    const user = await app.signUp();
    const error = await rejection(
      (await app.caller(user.cookie)).auth.changePassword({
        currentPassword: 'nope nope',
        newPassword: 'whatever 123',
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('throttles sign-in attempts per (email, IP) without locking the owner out from another address', async () => {
    const user = await app.signUp();
    for (let i = 0; i < 3; i++) {
      await rejection(
        (await app.caller(null, '10.0.0.1')).auth.signIn({ email: user.email, password: 'bad guess' }),
      );
    }
    // The stranger's address is throttled for this email, right password or not ...
    const throttled = await rejection(
      (await app.caller(null, '10.0.0.1')).auth.signIn({ email: user.email, password: user.password }),
    );
    expect(throttled.code).toBe('TOO_MANY_REQUESTS');
    // ... while the owner, from another address, signs in.
    const owner = await app.caller(null, '10.0.0.99');
    await expect(owner.auth.signIn({ email: user.email, password: user.password })).resolves.toMatchObject({
      email: user.email,
    });
  });

  it('shares the throttle between processes (two apps on one database, and on Redis when there is one)', async () => {
    const user = await app.signUp();
    // With TEST_REDIS_URL (CI's second pass) both processes throttle through Redis.
    const redis = process.env.TEST_REDIS_URL
      ? { REDIS_URL: process.env.TEST_REDIS_URL, REDIS_KEY_PREFIX: `auth${Date.now().toString(36)}` }
      : {};
    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SIGN_IN_MAX_PER_EMAIL: '3', ...redis });
    const [first, second] = await Promise.all([
      createApp(env, { orm: app.db.orm }),
      createApp(env, { orm: app.db.orm }),
    ]);
    const via = (instance: typeof first) => async () =>
      createCaller(
        await createContext(instance.services, {
          ip: '10.0.0.7',
          userAgent: 'vitest',
          cookieHeader: undefined,
          setCookie: () => undefined,
        }),
      );
    try {
      await rejection((await via(first)()).auth.signIn({ email: user.email, password: 'bad 1' }));
      await rejection((await via(second)()).auth.signIn({ email: user.email, password: 'bad 2' }));
      await rejection((await via(first)()).auth.signIn({ email: user.email, password: 'bad 3' }));
      const fourth = await rejection(
        (await via(second)()).auth.signIn({ email: user.email, password: user.password }),
      );
      expect(fourth.code).toBe('TOO_MANY_REQUESTS');
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('ends a session past its absolute lifetime even if it was used recently', async () => {
    const user = await app.signUp();
    const token = user.cookie.split('=')[1] ?? '';
    const em = app.db.orm.em.fork();
    await em.nativeUpdate(
      Session,
      { id: hashSessionToken(token) },
      { absoluteExpiresAt: new Date(Date.now() - 1000) },
    );
    expect(await (await app.caller(user.cookie)).auth.me()).toBeNull();
    expect(await em.fork().count(Session, { id: hashSessionToken(token) })).toBe(0);
  });

  it('refuses protected procedures without a session', async () => {
    const error = await rejection((await app.caller()).organization.list());
    expect(error.code).toBe('UNAUTHORIZED');
    const forged = await rejection((await app.caller('keysmith_session=forged-token')).organization.list());
    expect(forged.code).toBe('UNAUTHORIZED');
  });

  it('never logs passwords or session tokens', async () => {
    const user = await app.signUp(uniqueEmail('logs'), 'super secret password 42');
    await (await app.caller()).auth.signIn({ email: user.email, password: 'super secret password 42' });
    const logs = app.logs.text();
    expect(logs).not.toContain('super secret password 42');
    expect(logs).not.toContain(user.cookie.split('=')[1]);
  });
});
