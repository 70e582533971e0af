import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, uniqueEmail } from './harness.js';

let app: TestApp;
let base: string;
const ORIGIN = 'http://localhost:3000';

beforeAll(async () => {
  app = await createTestApp({ PUBLIC_URL: ORIGIN, SIGN_IN_MAX_PER_IP: '4', SIGN_IN_MAX_PER_EMAIL: '100' });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
});
afterAll(() => app.shutdown());

function mutation(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  });
}

describe('HTTP', () => {
  it('answers /healthz when the database is reachable', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('sets the session cookie over HTTP and accepts it back', async () => {
    const email = uniqueEmail('http');
    const res = await mutation('auth.signUp', {
      email,
      password: 'password over http',
      displayName: 'Http User',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const setCookie = res.headers.getSetCookie()[0] ?? '';
    expect(setCookie).toMatch(/^keysmith_session=\w+; /);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // plain http on localhost
    const me = await fetch(`${base}/trpc/auth.me`, { headers: { cookie: setCookie.split(';')[0] ?? '' } });
    const body = (await me.json()) as { result: { data: { user: { email: string } } } };
    expect(body.result.data.user.email).toBe(email);
  });

  it('refuses state-changing requests from another origin, or with no origin at all', async () => {
    const foreign = await mutation('auth.signOut', {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const noOrigin = await fetch(`${base}/trpc/auth.signOut`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(noOrigin.status).toBe(403);
    const crossSite = await fetch(`${base}/trpc/auth.signOut`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await fetch(`${base}/trpc/auth.signOut`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    });
    expect(sameSite.status).toBe(200);
    // Reads stay available (they change nothing).
    expect(
      (await fetch(`${base}/trpc/auth.me`, { headers: { origin: 'https://evil.example' } })).status,
    ).toBe(200);
  });

  it('rate-limits sign-in per IP with 429 and Retry-After data', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await mutation('auth.signIn', { email: uniqueEmail('rl'), password: 'wrong password' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    const res = await mutation('auth.signIn', { email: uniqueEmail('rl'), password: 'wrong password' });
    const body = (await res.json()) as { error: { data: { retryAfterSeconds: number } } };
    expect(body.error.data.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('answers 400 with field messages, never 500, for bad input', async () => {
    const res = await mutation('auth.signUp', { email: 'nope', password: 'x', displayName: '' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { fields: Record<string, string> } } };
    expect(Object.keys(body.error.data.fields).sort()).toEqual(['displayName', 'email', 'password']);
    const garbage = await fetch(`${base}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: '{not json',
    });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
  });
});
