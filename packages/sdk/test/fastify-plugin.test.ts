/**
 * Fastify specifics of the plugin, with Keysmith stood in for by a `fetch` stub: settings
 * checked when routes are registered, CORS preflights untouched, route settings overriding
 * the plugin's, and registering in two sibling contexts.
 */
import { generateApiKey } from '@keysmith/domain';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Keysmith } from '../src/client.js';
import { keysmithFastify } from '../src/middleware/fastify.js';

const KEY = generateApiKey({ prefix: 'sk', environment: 'live' }).key;

function stubClient(sent: unknown[]): Keysmith {
  return new Keysmith({
    baseUrl: 'http://keysmith.test',
    rootKey: generateApiKey({ prefix: 'sk', environment: 'live' }).key,
    fetch: async (_url, init) => {
      const body = JSON.parse(String(init?.body)) as { scopes?: string[] };
      sent.push(body);
      const valid = !(body.scopes ?? []).includes('tasks:write');
      return Response.json({
        valid,
        code: valid ? 'VALID' : 'FORBIDDEN',
        key_id: 'key_7Hq2mX9aBc3dEf4G',
        space_id: 'spc_1',
        environment: 'live',
        scopes: ['tasks:read'],
        expires_at: null,
        quotas: {},
        rate_limit: { limit: 600, remaining: 599, reset: 1_900_000_000 },
      });
    },
  });
}

describe('keysmithFastify', () => {
  it('refuses an invalid scope or cost in a route config when the route is registered', async () => {
    const app = Fastify();
    await app.register(keysmithFastify, { client: stubClient([]) });
    expect(() =>
      app.get('/x', { config: { keysmith: { scopes: ['Tasks:Read'] } } }, async () => 'x'),
    ).toThrow(/resource:action/);
    expect(() => app.get('/y', { config: { keysmith: { cost: -1 } } }, async () => 'y')).toThrow(/cost/);
    await app.close();
  });

  it('lets CORS preflights through and applies route settings over the plugin defaults', async () => {
    const sent: unknown[] = [];
    const app = Fastify();
    await app.register(keysmithFastify, { client: stubClient(sent), scopes: ['tasks:read'], cost: 3 });
    app.get('/tasks', async (request) => ({ key: request.keysmith?.key_id }));
    app.post(
      '/tasks',
      { config: { keysmith: { scopes: ['tasks:write'], cost: 0, endpoint: 'create task' } } },
      async () => 'ok',
    );

    const preflight = await app.inject({ method: 'OPTIONS', url: '/tasks' });
    expect(preflight.statusCode).not.toBe(401);
    expect(sent).toEqual([]);

    const read = await app.inject({ url: '/tasks', headers: { authorization: `Bearer ${KEY}` } });
    expect(read.json()).toEqual({ key: 'key_7Hq2mX9aBc3dEf4G' });
    expect(read.headers['ratelimit-limit']).toBe('600');
    const write = await app.inject({ method: 'POST', url: '/tasks', headers: { 'x-api-key': KEY } });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ code: 'FORBIDDEN', error: 'Insufficient permissions' });
    expect(sent).toEqual([
      { key: KEY, scopes: ['tasks:read'], cost: 3, endpoint: 'GET /tasks', ip: '127.0.0.1' },
      { key: KEY, scopes: ['tasks:write'], cost: 0, endpoint: 'create task', ip: '127.0.0.1' },
    ]);
    await app.close();
  });

  it('can be registered in several sibling contexts, each with its own client', async () => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    const app = Fastify();
    for (const [prefix, sent] of [
      ['/a', first],
      ['/b', second],
    ] as const) {
      await app.register(
        async (scope) => {
          await scope.register(keysmithFastify, { client: stubClient(sent) });
          scope.get('/ping', async () => 'pong');
        },
        { prefix },
      );
    }
    app.get('/open', async () => 'open');
    for (const url of ['/a/ping', '/b/ping']) {
      expect((await app.inject({ url, headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(200);
    }
    expect((await app.inject({ url: '/open' })).statusCode).toBe(200);
    expect([first.length, second.length]).toEqual([1, 1]);
    await app.close();
  });
});
