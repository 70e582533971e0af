import { Writable } from 'node:stream';
import { createApp, type KeysmithApp } from '../src/app.js';
import { loadEnv } from '../src/env.js';
import { createContext } from '../src/trpc/context.js';
import { createCaller } from '../src/trpc/root.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** Captures every log line the app writes, so tests can assert what was (not) logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp extends KeysmithApp {
  db: TestDatabase;
  logs: LogCapture;
  /** A tRPC caller acting as a browser with the given session cookie (or none). */
  caller: (
    cookie?: string | null,
    ip?: string,
  ) => Promise<ReturnType<typeof createCaller> & { cookies: string[] }>;
  /** Signs up a user and returns their cookie and a caller. */
  signUp: (email?: string, password?: string, displayName?: string) => Promise<TestUser>;
  shutdown: () => Promise<void>;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  cookie: string;
}

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** `name=value` of the first Set-Cookie, as a browser would send it back. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0] ?? '';
}

export async function createTestApp(envOverrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const logs = new LogCapture();
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'info', ...envOverrides });
  const app = await createApp(env, { orm: db.orm, logDestination: logs });

  const caller: TestApp['caller'] = async (cookie = null, ip = '127.0.0.1') => {
    const cookies: string[] = [];
    const ctx = await createContext(app.services, {
      ip,
      userAgent: 'vitest',
      cookieHeader: cookie ?? undefined,
      setCookie: (value) => cookies.push(value),
    });
    const trpc = createCaller(ctx);
    // The caller is itself a proxy over procedure paths; expose `cookies` beside it.
    return new Proxy(trpc, {
      get: (target, prop, receiver) => (prop === 'cookies' ? cookies : Reflect.get(target, prop, receiver)),
    }) as typeof trpc & { cookies: string[] };
  };

  const signUp: TestApp['signUp'] = async (
    email = uniqueEmail(),
    password = 'correct horse battery',
    displayName = 'Test User',
  ) => {
    const c = await caller();
    const user = await c.auth.signUp({ email, password, displayName });
    const setCookie = c.cookies[0];
    if (!setCookie) throw new Error('sign-up set no cookie');
    return { id: user.id, email, password, cookie: cookiePair(setCookie) };
  };

  return {
    ...app,
    db,
    logs,
    caller,
    signUp,
    shutdown: async () => {
      await app.close();
      await db.drop();
    },
  };
}
