import type { Keysmith } from '@keysmith/sdk';
import { keysmithFastify } from '@keysmith/sdk/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { parseNewTask, TASK_SCOPES, TaskStore } from './tasks.js';

/** The tasks API on Fastify: one plugin registration, the scopes in each route's config. */
export async function createFastifyApp(keysmith: Keysmith): Promise<FastifyInstance> {
  const app = Fastify();
  const tasks = new TaskStore();
  await app.register(keysmithFastify, { client: keysmith });

  app.get('/health', { config: { keysmith: false } }, async () => ({ ok: true }));
  app.get('/tasks', { config: { keysmith: { scopes: TASK_SCOPES.read } } }, async () => ({
    data: tasks.list(),
  }));
  app.post('/tasks', { config: { keysmith: { scopes: TASK_SCOPES.write } } }, async (request, reply) => {
    const input = parseNewTask(request.body);
    if ('error' in input) return reply.code(400).send(input);
    return reply.code(201).send(tasks.add(input.title, request.keysmith?.key_id ?? 'unknown'));
  });
  return app;
}
