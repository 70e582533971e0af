import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type KeysmithApp } from '../src/app.js';
import { loadEnv } from '../src/env.js';
import { appRouter } from '../src/trpc/root.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { LogCapture } from './harness.js';

/**
 * No secret reaches a log line at the default level (issue 9, defect 6): invitation tokens,
 * session tokens, passwords and keys, in the request lines Fastify writes for every admin
 * route and in everything else. The app runs as in development (request lines on), not as in
 * tests (request lines off), so the lines under test exist.
 */

let db: TestDatabase;
let keysmith: KeysmithApp;
let base: string;
const logs = new LogCapture();
const ORIGIN = 'http://localhost:3000';

async function trpc(
  method: 'GET' | 'POST',
  path: string,
  input: unknown,
  cookie?: string,
): Promise<{ status: number; body: unknown; setCookie: string | null }> {
  const headers: Record<string, string> = { origin: ORIGIN };
  if (cookie) headers.cookie = cookie;
  const url =
    method === 'GET'
      ? `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `${base}/trpc/${path}`;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
  });
  return {
    status: res.status,
    body: await res.json().catch(() => null),
    setCookie: res.headers.get('set-cookie'),
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const env = loadEnv({ NODE_ENV: 'development', LOG_LEVEL: 'info', KEY_MAINTENANCE_PERIOD_MS: '60000' });
  keysmith = await createApp(env, { orm: db.orm, logDestination: logs });
  await keysmith.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(keysmith.server.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await keysmith.close();
  await db.drop();
});

describe('log lines at the default level', () => {
  it('hold no invitation token, session token, password or key, for any route', async () => {
    const password = 'correct horse battery staple 42';
    const signUp = await trpc('POST', 'auth.signUp', {
      email: 'owner@logs.test',
      password,
      displayName: 'Log Owner',
    });
    expect(signUp.status).toBe(200);
    const cookie = (signUp.setCookie ?? '').split(';')[0] ?? '';
    const sessionToken = cookie.split('=')[1] ?? '';
    expect(sessionToken.length).toBeGreaterThan(10);
    const org = (await trpc('POST', 'organization.create', { name: 'Log Org' }, cookie)).body as {
      result: { data: { id: string } };
    };
    const orgId = org.result.data.id;
    const invite = (
      await trpc('POST', 'invitation.create', { orgId, email: 'guest@logs.test', role: 'member' }, cookie)
    ).body as { result: { data: { link: string } } };
    const invitationToken = invite.result.data.link.split('/invite/')[1] ?? '';
    expect(invitationToken.length).toBeGreaterThan(10);
    // The probe's reproduction: the token in the query string of a GET.
    expect((await trpc('GET', 'invitation.preview', { token: invitationToken })).status).toBe(200);

    // Every procedure, by GET and POST, with a canary secret in its input (most answer 4xx).
    const canary = 'canary-secret-7f3e9a1c5b';
    for (const path of Object.keys(appRouter._def.procedures)) {
      await trpc('GET', path, { orgId, token: canary, password: canary, email: `${canary}@x.test` }, cookie);
      await trpc('POST', path, { orgId, token: canary, password: canary }, cookie);
    }
    // And the REST API with a key in each header form.
    for (const headers of [
      { authorization: `Bearer ${canary}` },
      { 'x-api-key': canary },
      { authorization: canary },
    ]) {
      await fetch(`${base}/v1/rate-limit`, { headers });
    }
    await fetch(`${base}/v1/api-keys?search=${canary}`, { headers: { authorization: `Bearer ${canary}` } });

    const text = logs.text();
    expect(logs.lines.some((line) => line.includes('"incoming request"'))).toBe(true);
    for (const secret of [invitationToken, sessionToken, password, canary]) {
      expect(text, `a log line holds ${secret.slice(0, 6)}…`).not.toContain(secret);
    }
  });
});
