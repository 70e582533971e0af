import type { Keysmith } from '@keysmith/sdk';
import { keysmithHono } from '@keysmith/sdk/hono';
import { Hono } from 'hono';
import { parseNewTask, TASK_SCOPES, TaskStore } from './tasks.js';

/** The tasks API on Hono: the middleware in front of each protected route. */
export function createHonoApp(keysmith: Keysmith): Hono {
  const app = new Hono();
  const tasks = new TaskStore();

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/tasks', keysmithHono({ client: keysmith, scopes: TASK_SCOPES.read }), (c) =>
    c.json({ data: tasks.list() }),
  );
  app.post('/tasks', keysmithHono({ client: keysmith, scopes: TASK_SCOPES.write }), async (c) => {
    const input = parseNewTask(await c.req.json().catch(() => null));
    if ('error' in input) return c.json(input, 400);
    return c.json(tasks.add(input.title, c.get('keysmith').key_id), 201);
  });
  return app;
}
