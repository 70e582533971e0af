/**
 * The same tiny API behind each of the four middleware, started on a free port: `GET /tasks`
 * needs `tasks:read`, `POST /tasks` needs `tasks:write` and costs 2 credits, `GET /public`
 * is not protected. Each protected route answers with the verification the middleware left
 * on the request, so tests can check what the handler saw.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { keysmithExpress } from '../src/middleware/express.js';
import { keysmithFastify } from '../src/middleware/fastify.js';
import { withKeysmith } from '../src/middleware/fetch.js';
import type { KeysmithGuardOptions } from '../src/middleware/guard.js';
import { keysmithHono } from '../src/middleware/hono.js';

export const ADAPTERS = ['fastify', 'express', 'hono', 'fetch'] as const;
export type Adapter = (typeof ADAPTERS)[number];

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

const READ = { scopes: ['tasks:read'] } as const;
const WRITE = { scopes: ['tasks:write'], cost: 2 } as const;

async function fastifyApp(guard: KeysmithGuardOptions): Promise<RunningApp> {
  const app = Fastify();
  await app.register(keysmithFastify, guard);
  app.get('/tasks', { config: { keysmith: READ } }, async (request) => ({ verification: request.keysmith }));
  app.post('/tasks', { config: { keysmith: WRITE } }, async (request, reply) =>
    reply.code(201).send({ verification: request.keysmith }),
  );
  app.get('/public', { config: { keysmith: false } }, async () => ({ public: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
}

async function expressApp(guard: KeysmithGuardOptions): Promise<RunningApp> {
  const app = express();
  app.get('/tasks', keysmithExpress({ ...guard, ...READ }), (req, res) => {
    res.json({ verification: req.keysmith });
  });
  app.post('/tasks', keysmithExpress({ ...guard, ...WRITE }), (req, res) => {
    res.status(201).json({ verification: req.keysmith });
  });
  app.get('/public', (_req, res) => {
    res.json({ public: true });
  });
  return listenNode((port, ready) => app.listen(port, '127.0.0.1', ready));
}

function listenNode(
  listen: (port: number, ready: () => void) => import('node:http').Server,
): Promise<RunningApp> {
  return new Promise((resolve) => {
    const server = listen(0, () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function serveFetch(fetchHandler: (request: Request) => Response | Promise<Response>): Promise<RunningApp> {
  return new Promise((resolve) => {
    const server = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function honoApp(guard: KeysmithGuardOptions): Promise<RunningApp> {
  const app = new Hono();
  app.get('/tasks', keysmithHono({ ...guard, ...READ }), (c) => c.json({ verification: c.get('keysmith') }));
  app.post('/tasks', keysmithHono({ ...guard, ...WRITE }), (c) =>
    c.json({ verification: c.get('keysmith') }, 201),
  );
  app.get('/public', (c) => c.json({ public: true }));
  return serveFetch(app.fetch);
}

async function fetchApp(guard: KeysmithGuardOptions): Promise<RunningApp> {
  // Two route handlers as a Next.js app would export them, and a router in front.
  const GET = withKeysmith((request) => Response.json({ verification: request.keysmith }), {
    ...guard,
    ...READ,
    trustProxyHops: 1,
  });
  const POST = withKeysmith((request) => Response.json({ verification: request.keysmith }, { status: 201 }), {
    ...guard,
    ...WRITE,
    trustProxyHops: 1,
  });
  return serveFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path === '/public') return Response.json({ public: true });
    if (path === '/tasks' && request.method === 'GET') return GET(request);
    if (path === '/tasks' && request.method === 'POST') return POST(request);
    return Response.json({ error: 'Not found' }, { status: 404 });
  });
}

const BUILDERS: Record<Adapter, (guard: KeysmithGuardOptions) => Promise<RunningApp>> = {
  fastify: fastifyApp,
  express: expressApp,
  hono: honoApp,
  fetch: fetchApp,
};

/** Starts the tasks API behind `adapter`'s middleware. */
export function startProtectedApp(adapter: Adapter, guard: KeysmithGuardOptions): Promise<RunningApp> {
  return BUILDERS[adapter](guard);
}
