import type { Keysmith } from '@keysmith/sdk';
import { keysmithExpress } from '@keysmith/sdk/express';
import express, { type Express } from 'express';
import { parseNewTask, TASK_SCOPES, TaskStore } from './tasks.js';

/** The tasks API on Express: the middleware in front of each protected route. */
export function createExpressApp(keysmith: Keysmith): Express {
  const app = express();
  const tasks = new TaskStore();
  app.use(express.json());

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/tasks', keysmithExpress({ client: keysmith, scopes: TASK_SCOPES.read }), (_req, res) => {
    res.json({ data: tasks.list() });
  });
  app.post('/tasks', keysmithExpress({ client: keysmith, scopes: TASK_SCOPES.write }), (req, res) => {
    const input = parseNewTask(req.body);
    if ('error' in input) {
      res.status(400).json(input);
      return;
    }
    res.status(201).json(tasks.add(input.title, req.keysmith?.key_id ?? 'unknown'));
  });
  return app;
}
