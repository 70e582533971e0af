import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Keysmith } from '@keysmith/sdk';
import { createExpressApp } from './express-app.js';
import { createFastifyApp } from './fastify-app.js';
import { createFetchApp } from './fetch-app.js';
import { createHonoApp } from './hono-app.js';

/** One running copy of the tasks API. */
export interface ExampleServer {
  name: 'fastify' | 'express' | 'hono' | 'fetch';
  url: string;
  close(): Promise<void>;
}

type NodeServer = import('node:http').Server;

function closer(server: NodeServer): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

function urlOf(host: string, server: NodeServer): string {
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

function serveFetch(fetch: (request: Request) => Response | Promise<Response>, port: number, host: string) {
  return new Promise<NodeServer>((resolve) => {
    const server = serve({ fetch, port, hostname: host }, () => resolve(server as NodeServer));
  });
}

/**
 * Starts the tasks API four times, on `port` (Fastify), `port + 1` (Express), `port + 2`
 * (Hono on `@hono/node-server`) and `port + 3` (the fetch handlers on the same adapter).
 * Port 0 picks free ports.
 */
export async function startExampleServers(
  keysmith: Keysmith,
  port: number,
  host: string,
): Promise<ExampleServer[]> {
  const next = (offset: number) => (port === 0 ? 0 : port + offset);

  const fastify = await createFastifyApp(keysmith);
  await fastify.listen({ port: next(0), host });
  const fastifyServer = fastify.server;

  const expressApp = createExpressApp(keysmith);
  const expressServer = await new Promise<NodeServer>((resolve) => {
    const server = expressApp.listen(next(1), host, () => resolve(server));
  });
  const honoServer = await serveFetch(createHonoApp(keysmith).fetch, next(2), host);
  const fetchServer = await serveFetch(createFetchApp(keysmith).fetch, next(3), host);

  return [
    { name: 'fastify', url: urlOf(host, fastifyServer), close: () => fastify.close() },
    { name: 'express', url: urlOf(host, expressServer), close: closer(expressServer) },
    { name: 'hono', url: urlOf(host, honoServer), close: closer(honoServer) },
    { name: 'fetch', url: urlOf(host, fetchServer), close: closer(fetchServer) },
  ];
}
