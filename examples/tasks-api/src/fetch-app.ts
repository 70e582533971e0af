import { type Keysmith, withKeysmith } from '@keysmith/sdk';
import { parseNewTask, TASK_SCOPES, TaskStore } from './tasks.js';

/**
 * The tasks API as fetch handlers, the shape of a Next.js route file (`app/tasks/route.ts`
 * exporting `GET` and `POST`) or a Cloudflare Worker: each handler wrapped in `withKeysmith`.
 * `fetch` routes between them so the example runs on one port.
 */
export function createFetchApp(keysmith: Keysmith): { fetch: (request: Request) => Promise<Response> } {
  const tasks = new TaskStore();

  const GET = withKeysmith(() => Response.json({ data: tasks.list() }), {
    client: keysmith,
    scopes: TASK_SCOPES.read,
  });
  const POST = withKeysmith(
    async (request) => {
      const input = parseNewTask(await request.json().catch(() => null));
      if ('error' in input) return Response.json(input, { status: 400 });
      return Response.json(tasks.add(input.title, request.keysmith.key_id), { status: 201 });
    },
    { client: keysmith, scopes: TASK_SCOPES.write },
  );

  return {
    fetch: async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/health') return Response.json({ ok: true });
      if (pathname === '/tasks' && request.method === 'GET') return GET(request);
      if (pathname === '/tasks' && request.method === 'POST') return POST(request);
      return Response.json({ error: 'Not found' }, { status: 404 });
    },
  };
}
