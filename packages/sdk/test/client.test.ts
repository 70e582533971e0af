/**
 * The client against a real Keysmith: every `/v1` operation of the OpenAPI document is
 * called by some client method (checked by recording the requests the client sends and
 * matching them against the document's paths), pagination over pages and cursors, errors as
 * `KeysmithError`, and connection reuse.
 */
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_OPERATIONS, Keysmith } from '../src/client.js';
import { KeysmithError } from '../src/errors.js';
import type { ApiKey, RequestLog } from '../src/generated/openapi.js';
import { type KeysmithServer, startKeysmith } from './keysmith-server.js';

/**
 * `/v1` paths the client deliberately does not wrap, each public (no key) and not something
 * an API provider's backend calls. Any other path of the document that no client method
 * calls fails the test below, so a new route cannot be forgotten.
 */
const UNWRAPPED_PUBLIC_PATHS: Record<string, string> = {
  'GET /v1/openapi.json': 'the document itself: fetch it directly or feed it to a generator',
  'POST /v1/leaks':
    'for secret scanners (GitHub secret scanning) reporting leaked keys, not for your backend',
};

type Json = Record<string, unknown>;

const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));

let keysmith: KeysmithServer;
let document: Json;

beforeAll(async () => {
  keysmith = await startKeysmith();
  document = (await (await fetch(`${keysmith.baseUrl}/v1/openapi.json`)).json()) as Json;
});
afterAll(() => keysmith.stop());

interface DocumentedOperation {
  route: string;
  operationId: string;
  isPublic: boolean;
  pattern: RegExp;
}

function documentedOperations(): DocumentedOperation[] {
  return Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      route: `${method.toUpperCase()} ${path}`,
      operationId: String(op.operationId),
      isPublic: Array.isArray(op.security) && op.security.length === 0,
      pattern: new RegExp(`^${method.toUpperCase()} ${path.replace(/\{\w+\}/g, '[^/]+')}$`),
    })),
  );
}

/** A client whose requests are recorded as `METHOD /path`. */
function recordingClient(sent: string[]): Keysmith {
  return new Keysmith({
    baseUrl: keysmith.baseUrl,
    rootKey: keysmith.rootKey,
    fetch: (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<KeysmithError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeysmithError);
  return error as KeysmithError;
}

describe('route coverage', () => {
  it('every operation of the OpenAPI document is called by a client method, except the listed public ones', async () => {
    const sent: string[] = [];
    const client = recordingClient(sent);
    const consumer = await keysmith.createKey({ scopes: ['tasks:read'] });

    const verified = await client.keys.verify({
      key: consumer.key,
      scopes: ['tasks:read'],
      endpoint: 'GET /tasks',
    });
    expect(verified).toMatchObject({ valid: true, code: 'VALID', key_id: consumer.id });
    const created = await client.apiKeys.create({ name: `coverage ${Date.now()}`, scopes: ['tasks:write'] });
    expect(created.key).toMatch(/^sk_live_/);
    const page = await client.apiKeys.list({ per_page: 2 });
    expect(page.data.length).toBeGreaterThan(0);
    expect((await client.apiKeys.get(created.id)).usage.requests_today).toBe(0);
    expect((await client.apiKeys.update(created.id, { description: 'changed' })).description).toBe('changed');
    const rolled = await client.apiKeys.roll(created.id, { grace_period_seconds: 0 });
    expect(rolled.rolled_from_id).toBe(created.id);
    expect((await client.apiKeys.revoke(rolled.id)).status).toBe('revoked');
    expect(Array.isArray((await client.apiKeys.logs(consumer.id)).data)).toBe(true);
    expect((await client.rateLimit()).limit).toBe(3000);

    const operations = documentedOperations();
    const called = new Set(
      sent.map((request) => {
        const match = operations.find((op) => op.pattern.test(request));
        if (!match) throw new Error(`the client sent ${request}, which the document does not describe`);
        return match.route;
      }),
    );
    const uncalled = operations.filter((op) => !called.has(op.route)).map((op) => op.route);
    expect(uncalled.sort()).toEqual(
      Object.keys(UNWRAPPED_PUBLIC_PATHS)
        .filter((route) => operations.some((op) => op.route === route))
        .sort(),
    );
    for (const route of Object.keys(UNWRAPPED_PUBLIC_PATHS)) {
      const op = operations.find((o) => o.route === route);
      if (op) expect(op.isPublic, `${route} is listed as public`).toBe(true);
    }
  });

  it('CLIENT_OPERATIONS names every wrapped operation of the document', () => {
    const wrapped = new Set<string>(Object.values(CLIENT_OPERATIONS));
    const expected = documentedOperations()
      .filter((op) => !(op.route in UNWRAPPED_PUBLIC_PATHS))
      .map((op) => op.operationId);
    expect([...wrapped].sort()).toEqual(expected.sort());
  });
});

describe('pagination', () => {
  it('iterates every key across pages, and awaits the first page', async () => {
    for (let i = 0; i < 3; i++) await keysmith.createKey({ category: 'paging' });
    const first = await keysmith.client.apiKeys.list({ category: 'paging', per_page: 2 });
    expect(first).toMatchObject({ page: 1, per_page: 2, total: 3 });
    const ids: string[] = [];
    for await (const key of keysmith.client.apiKeys.list({ category: 'paging', per_page: 2 }))
      ids.push(key.id);
    expect(new Set(ids).size).toBe(3);
    const pages: number[] = [];
    for await (const page of keysmith.client.apiKeys.list({ category: 'paging', per_page: 2 }).pages()) {
      pages.push(page.data.length);
    }
    expect(pages).toEqual([2, 1]);
  });

  it('iterates every request log by cursor, newest first', async () => {
    const consumer = await keysmith.createKey({ scopes: ['tasks:read'] });
    for (let i = 0; i < 3; i++)
      await keysmith.client.keys.verify({ key: consumer.key, endpoint: `GET /n/${i}` });
    await keysmith.app.services.verification.flush();
    const logs: RequestLog[] = [];
    for await (const log of keysmith.client.apiKeys.logs(consumer.id, { limit: 1 })) logs.push(log);
    expect(logs.map((l) => l.endpoint)).toEqual(['GET /n/2', 'GET /n/1', 'GET /n/0']);
    const newest = await keysmith.client.apiKeys.logs(consumer.id, { limit: 2 });
    expect(newest.next_cursor).not.toBeNull();
  });

  it('a list call fetches nothing until awaited or iterated', async () => {
    const sent: string[] = [];
    const pending = recordingClient(sent).apiKeys.list();
    expect(sent).toEqual([]);
    const page = await pending;
    await pending;
    expect(sent).toEqual(['GET /v1/api-keys']);
    expect(page.data.every((key: ApiKey) => !('key' in key))).toBe(true);
  });
});

describe('errors', () => {
  it('a validation error carries status, code, request id and fields', async () => {
    const error = await rejection(keysmith.client.apiKeys.create({ name: '', scopes: ['not a scope'] }));
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION', unavailable: false });
    expect(error.requestId).toMatch(/^req_[0-9A-Za-z]{16}$/);
    expect(Object.keys(error.fields ?? {})).toEqual(expect.arrayContaining(['name']));
  });

  it('an unknown key id is NOT_FOUND, a taken name CONFLICT', async () => {
    expect(await rejection(keysmith.client.apiKeys.get('key_0000000000000000'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    const { name } = await keysmith.createKey();
    expect(await rejection(keysmith.client.apiKeys.create({ name }))).toMatchObject({
      status: 409,
      code: 'CONFLICT',
    });
  });

  it('a client key without keys:verify is refused with the §3 answer', async () => {
    const other = await keysmith.createKey({ scopes: ['tasks:read'] });
    const forged = new Keysmith({ baseUrl: keysmith.baseUrl, rootKey: other.key });
    expect(await rejection(forged.keys.verify({ key: other.key }))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Insufficient permissions',
    });
  });

  it('an unreachable Keysmith is NETWORK_ERROR with status 0', async () => {
    const closed = new Keysmith({ baseUrl: 'http://127.0.0.1:9', rootKey: keysmith.rootKey });
    const error = await rejection(closed.rateLimit());
    expect(error).toMatchObject({ status: 0, code: 'NETWORK_ERROR', unavailable: true, requestId: null });
  });

  it('the caller can abort a call', async () => {
    const controller = new AbortController();
    const call = keysmith.client.rateLimit({ signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(call).rejects.toThrow('stop');
  });

  it('refuses bad settings at construction, without echoing the key', () => {
    const key = 'sk_live_notarealkeyatall';
    expect(() => new Keysmith({ baseUrl: keysmith.baseUrl, rootKey: key })).toThrow(/not a Keysmith API key/);
    try {
      new Keysmith({ baseUrl: keysmith.baseUrl, rootKey: key });
    } catch (error) {
      expect(String(error)).not.toContain(key);
    }
    expect(() => new Keysmith({ baseUrl: 'keysmith.local', rootKey: keysmith.rootKey })).toThrow(/baseUrl/);
    expect(
      () => new Keysmith({ baseUrl: keysmith.baseUrl, rootKey: keysmith.rootKey, timeoutMs: 0 }),
    ).toThrow(/timeoutMs/);
  });

  it('accepts a base URL ending in /v1', async () => {
    const client = new Keysmith({ baseUrl: `${keysmith.baseUrl}/v1/`, rootKey: keysmith.rootKey });
    expect((await client.rateLimit()).limit).toBe(3000);
  });
});

describe('connections', () => {
  it('reuses kept-alive connections for successive calls', async () => {
    const consumer = await keysmith.createKey({ scopes: ['tasks:read'] });
    await keysmith.client.keys.verify({ key: consumer.key, cost: 0 });
    let opened = 0;
    const count = () => {
      opened += 1;
    };
    keysmith.app.server.server.on('connection', count);
    try {
      for (let i = 0; i < 20; i++) await keysmith.client.keys.verify({ key: consumer.key, cost: 0 });
    } finally {
      keysmith.app.server.server.off('connection', count);
    }
    expect(opened).toBeLessThanOrEqual(1);
  });
});

describe('edge runtime', () => {
  it('the client, withKeysmith and the Hono middleware run in an edge VM (fetch and Web Crypto only)', async () => {
    // One bundle for a platform without Node built-ins: a `node:` import fails the build.
    const bundle = await build({
      stdin: {
        contents: [
          "export { Keysmith, withKeysmith } from './src/index.ts';",
          "export { keysmithHono } from './src/middleware/hono.ts';",
          "export { Hono } from 'hono';",
        ].join('\n'),
        resolveDir: SDK_DIR,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'KeysmithSdk',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['@keysmith/source', 'worker', 'import'],
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    const consumer = await keysmith.createKey({ scopes: ['tasks:read'] });
    const vm = new EdgeVM();
    expect(vm.evaluate('typeof process + typeof Buffer + typeof require')).toBe(
      'undefinedundefinedundefined',
    );
    vm.evaluate(code);
    const settings = JSON.stringify({
      baseUrl: keysmith.baseUrl,
      rootKey: keysmith.rootKey,
      key: consumer.key,
    });
    const result = await vm.evaluate(`(async () => {
      const { Keysmith, withKeysmith, keysmithHono, Hono } = KeysmithSdk;
      const s = ${settings};
      const client = new Keysmith({ baseUrl: s.baseUrl, rootKey: s.rootKey });
      const verified = await client.keys.verify({ key: s.key, cost: 0 });
      const handler = withKeysmith((request) => Response.json({ keyId: request.keysmith.key_id }), {
        client,
        scopes: ['tasks:read'],
      });
      const admitted = await handler(new Request('https://api.example/tasks', { headers: { 'x-api-key': s.key } }));
      const refused = await handler(new Request('https://api.example/tasks'));
      const app = new Hono();
      app.get('/tasks', keysmithHono({ client, scopes: ['tasks:read'] }), (c) => c.json({ keyId: c.get('keysmith').key_id }));
      const viaHono = await app.fetch(new Request('https://api.example/tasks', { headers: { authorization: 'Bearer ' + s.key } }));
      return JSON.stringify({
        verified: verified.valid,
        admitted: [admitted.status, await admitted.json(), admitted.headers.get('ratelimit-limit')],
        refused: [refused.status, (await refused.json()).code],
        hono: [viaHono.status, await viaHono.json()],
      });
    })()`);
    expect(JSON.parse(result as string)).toEqual({
      verified: true,
      admitted: [200, { keyId: consumer.id }, '3000'],
      refused: [401, 'MISSING'],
      hono: [200, { keyId: consumer.id }],
    });
  });
});
