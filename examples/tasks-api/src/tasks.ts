/**
 * The example's resource: tasks, kept in memory. Each task records the key that created it,
 * which is how an API provider attributes work to a consumer (`verification.key_id`).
 */
export interface Task {
  id: number;
  title: string;
  done: boolean;
  created_by: string;
  created_at: string;
}

/** What `POST /tasks` accepts: `{ "title": "…" }`, 1–200 characters. */
export function parseNewTask(body: unknown): { title: string } | { error: string } {
  const title = typeof body === 'object' && body !== null ? (body as { title?: unknown }).title : undefined;
  if (typeof title !== 'string' || title.trim() === '' || title.length > 200) {
    return { error: 'title must be a string of 1 to 200 characters' };
  }
  return { title: title.trim() };
}

/** An in-memory task list; each of the four servers has its own. */
export class TaskStore {
  private readonly tasks: Task[] = [];

  list(): Task[] {
    return [...this.tasks];
  }

  add(title: string, keyId: string): Task {
    const task: Task = {
      id: this.tasks.length + 1,
      title,
      done: false,
      created_by: keyId,
      created_at: new Date().toISOString(),
    };
    this.tasks.push(task);
    return task;
  }
}

/** The scopes of seed 002's example: read tasks, write tasks. */
export const TASK_SCOPES = { read: ['tasks:read'], write: ['tasks:write'] } as const;
