/**
 * CPU profile of a running Node process over an exact window, through the inspector protocol
 * (the process is started with `--inspect=127.0.0.1:0`): `Profiler.start` just before the
 * load and `Profiler.stop` right after, so start-up (module loading, migrations, PGlite's
 * boot) does not pollute the profile the way a whole-process `--cpu-prof` would. The result
 * is the same `.cpuprofile` format `node --cpu-prof` writes (open it in Chrome DevTools).
 */
import { writeFileSync } from 'node:fs';
import type { Managed } from './processes.js';

export interface InspectorSession {
  start(): Promise<void>;
  /** Stops profiling and writes the profile to `file`. */
  stop(file: string): Promise<void>;
  close(): void;
  /** Any other inspector command (a heap sampling profile, say). */
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
}

export async function attachInspector(proc: Managed): Promise<InspectorSession> {
  const match = await proc.waitForLine(/Debugger listening on (ws:\/\/\S+)/, 30_000);
  const ws = new WebSocket(match[1] as string);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('could not connect to the inspector')), {
      once: true,
    });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  // V8's default sampling interval (1 ms at the CLI's default is coarse): 200 µs.
  await send('Profiler.setSamplingInterval', { interval: 200 });
  return {
    async start() {
      await send('Profiler.start');
    },
    async stop(file: string) {
      const result = (await send('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(result.profile));
    },
    close() {
      ws.close();
    },
    send,
  };
}
