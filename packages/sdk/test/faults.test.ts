/**
 * Keysmith unreachable. Every middleware is started twice against a real Keysmith, fail
 * closed and fail open (each with its own client, so no adapter benefits from another's
 * verifications); a key is verified through each fail-open app; then Keysmith is stopped
 * for real. Fail closed answers 503 `UNAVAILABLE`; fail open admits the recently verified
 * key (marked `fail_open`) and refuses a key it has not seen, or one without the route's scope.
 * A Keysmith that accepts connections but never answers is a timeout: the same 503, in time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keysmith } from '../src/client.js';
import type { KeysmithError } from '../src/errors.js';
import { type KeysmithServer, startKeysmith } from './keysmith-server.js';
import { ADAPTERS, type Adapter, type RunningApp, startProtectedApp } from './protected-apps.js';

let keysmith: KeysmithServer;
let known: string;
let unseen: string;
const failClosed = new Map<Adapter, RunningApp>();
const failOpen = new Map<Adapter, RunningApp>();
const shortWindow = new Map<Adapter, RunningApp>();
const errors: KeysmithError[] = [];

async function get(url: string, key: string, method = 'GET') {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  keysmith = await startKeysmith();
  known = (await keysmith.createKey({ scopes: ['tasks:read'] })).key;
  unseen = (await keysmith.createKey({ scopes: ['tasks:read'] })).key;
  const client = () =>
    new Keysmith({ baseUrl: keysmith.baseUrl, rootKey: keysmith.rootKey, timeoutMs: 2000 });
  const onError = (error: KeysmithError) => errors.push(error);
  for (const adapter of ADAPTERS) {
    failClosed.set(adapter, await startProtectedApp(adapter, { client: client(), onError }));
    const open = await startProtectedApp(adapter, { client: client(), failOpen: true, onError });
    failOpen.set(adapter, open);
    const brief = await startProtectedApp(adapter, {
      client: client(),
      failOpen: { maxAgeSeconds: 0.5 },
      onError,
    });
    shortWindow.set(adapter, brief);
    // Verified while Keysmith runs: remembered by these two clients only.
    for (const app of [open, brief]) {
      const answer = await get(`${app.url}/tasks`, known);
      if (answer.status !== 200) throw new Error(`${adapter}: priming answered ${answer.status}`);
    }
  }
  await keysmith.stop();
  // Past the short window of the `brief` apps.
  await new Promise((resolve) => setTimeout(resolve, 600));
});

afterAll(async () => {
  for (const app of [...failClosed.values(), ...failOpen.values(), ...shortWindow.values()])
    await app.close();
  await keysmith.stop();
});

describe.each(ADAPTERS)('%s middleware with Keysmith stopped', (adapter) => {
  it('fails closed by default: 503 UNAVAILABLE in the §3 body shape', async () => {
    const app = failClosed.get(adapter) as RunningApp;
    for (const key of [known, unseen]) {
      const answer = await get(`${app.url}/tasks`, key);
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        error: 'API key verification is temporarily unavailable',
        code: 'UNAVAILABLE',
        request_id: expect.stringMatching(/^req_[0-9A-Za-z]{16}$/),
      });
      expect(answer.headers.get('ratelimit-limit')).toBeNull();
    }
    expect(errors.some((e) => e.code === 'NETWORK_ERROR' && e.status === 0)).toBe(true);
  });

  it('fails open only for a key verified valid within the window, and says so', async () => {
    const app = failOpen.get(adapter) as RunningApp;
    const admitted = await get(`${app.url}/tasks`, known);
    expect(admitted.status).toBe(200);
    const verification = admitted.body.verification as Record<string, unknown>;
    expect(verification).toMatchObject({
      valid: true,
      code: 'VALID',
      fail_open: true,
      scopes: ['tasks:read'],
    });
    expect(Date.now() - Date.parse(String(verification.verified_at))).toBeLessThan(60_000);
    // Stale rate-limit figures are not passed off as current.
    expect(admitted.headers.get('ratelimit-remaining')).toBeNull();

    const refused = await get(`${app.url}/tasks`, unseen);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('UNAVAILABLE');

    // The route's scopes still apply to a remembered key.
    const forbidden = await get(`${app.url}/tasks`, known, 'POST');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN', error: 'Insufficient permissions' });
  });

  it('refuses a remembered key once its verification is older than maxAgeSeconds', async () => {
    const app = shortWindow.get(adapter) as RunningApp;
    const answer = await get(`${app.url}/tasks`, known);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('UNAVAILABLE');
  });
});

describe('a Keysmith that never answers', () => {
  let silent: Server;
  let silentUrl: string;

  beforeAll(async () => {
    // Accepts connections and requests, and never answers: a hung upstream.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it.each(ADAPTERS)('%s: times out after timeoutMs and fails closed', async (adapter) => {
    const client = new Keysmith({ baseUrl: silentUrl, rootKey: known, timeoutMs: 60_000 });
    const seen: KeysmithError[] = [];
    const app = await startProtectedApp(adapter, { client, timeoutMs: 300, onError: (e) => seen.push(e) });
    try {
      const started = performance.now();
      const answer = await get(`${app.url}/tasks`, known);
      const elapsed = performance.now() - started;
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('UNAVAILABLE');
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(5_000);
      expect(seen.map((e) => e.code)).toEqual(['TIMEOUT']);
    } finally {
      await app.close();
    }
  });
});
