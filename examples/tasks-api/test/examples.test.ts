/**
 * The example as its README runs it, against a real Keysmith: `create-keys` issues the keys,
 * `start` serves the tasks API behind each middleware, and each copy answers as the README
 * says (public health check, 401 without a key, 403 for a reader writing, 201 for a writer).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeysmithServer, startKeysmith } from '../../../packages/sdk/test/keysmith-server.js';

const EXAMPLE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SCRIPTS = (
  JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

let keysmith: KeysmithServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  keysmith = await startKeysmith();
});
afterAll(async () => {
  for (const child of children) stop(child);
  await keysmith.stop();
});

/** Stops a script and everything it started (`sh`, tsx and tsx's node child): its process group. */
function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Runs a package.json script the way `pnpm run` does (its bin directory on PATH), with `env`. */
function runScript(name: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const script = SCRIPTS[name];
  if (!script) throw new Error(`no script ${name}`);
  const bin = path.join(EXAMPLE_DIR, 'node_modules/.bin');
  const child = spawn('sh', ['-c', script], {
    cwd: EXAMPLE_DIR,
    env: { ...process.env, ...env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return { child, output: () => out };
}

async function waitFor<T>(
  what: string,
  probe: () => T | null,
  run: { child: ChildProcess; output: () => string },
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (run.child.exitCode !== null) throw new Error(`exited with ${run.child.exitCode}:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('examples/tasks-api', () => {
  let readerKey: string;
  let writerKey: string;
  let verifyKey: string;
  let urls: Record<string, string>;

  it('create-keys issues a verify-only key and two consumer keys', async () => {
    const run = runScript('create-keys', {
      KEYSMITH_URL: keysmith.baseUrl,
      KEYSMITH_ROOT_KEY: keysmith.rootKey,
    });
    const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    expect(code, run.output()).toBe(0);
    const exported = Object.fromEntries(
      [...run.output().matchAll(/^export (\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]),
    ) as Record<string, string>;
    verifyKey = exported.KEYSMITH_ROOT_KEY ?? '';
    readerKey = exported.READER_KEY ?? '';
    writerKey = exported.WRITER_KEY ?? '';
    for (const key of [verifyKey, readerKey, writerKey]) expect(key).toMatch(/^sk_live_/);
    const scopes = [];
    for await (const key of keysmith.client.apiKeys.list({ search: 'tasks' })) scopes.push(key.scopes);
    expect(scopes).toEqual(
      expect.arrayContaining([['keys:verify'], ['tasks:read'], ['tasks:read', 'tasks:write']]),
    );
  });

  it('start serves the tasks API behind all four middleware', async () => {
    const run = runScript('start', {
      KEYSMITH_URL: keysmith.baseUrl,
      KEYSMITH_ROOT_KEY: verifyKey,
      PORT: '0',
    });
    urls = await waitFor(
      'the four servers listening',
      () => {
        const found = [...run.output().matchAll(/^ {2}(fastify|express|hono|fetch)\s+(http:\/\/\S+)$/gm)];
        return found.length === 4 ? Object.fromEntries(found.map((m) => [m[1], m[2]])) : null;
      },
      run,
    );
    expect(Object.keys(urls).sort()).toEqual(['express', 'fastify', 'fetch', 'hono']);
  });

  it.each(['fastify', 'express', 'hono', 'fetch'])('%s answers as the README says', async (name) => {
    const url = urls[name];
    const json = { 'content-type': 'application/json' };
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const missing = await fetch(`${url}/tasks`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'Missing API Key', code: 'MISSING' });

    const read = await fetch(`${url}/tasks`, { headers: { authorization: `Bearer ${readerKey}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ data: [] });
    expect(read.headers.get('ratelimit-limit')).toBe('3000');

    const forbidden = await fetch(`${url}/tasks`, {
      method: 'POST',
      headers: { ...json, 'x-api-key': readerKey },
      body: JSON.stringify({ title: 'Nope' }),
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: 'Insufficient permissions', code: 'FORBIDDEN' });

    const created = await fetch(`${url}/tasks`, {
      method: 'POST',
      headers: { ...json, 'x-api-key': writerKey },
      body: JSON.stringify({ title: 'Ship it' }),
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as { title: string; created_by: string };
    expect(task.title).toBe('Ship it');
    expect(task.created_by).toMatch(/^key_/);

    const listed = await fetch(`${url}/tasks`, { headers: { 'x-api-key': writerKey } });
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([task]);
  });

  it('start without settings explains how to get a root key', async () => {
    const run = runScript('start', { KEYSMITH_URL: '', KEYSMITH_ROOT_KEY: '' });
    const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(run.output()).toContain('KEYSMITH_URL is not set');
    expect(run.output()).toContain('pnpm keysmith bootstrap');
  });
});
