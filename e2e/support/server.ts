import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in e2e/support). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const BUILD_OUTPUTS = ['apps/web/dist/index.html', 'apps/api/dist/main.js', 'packages/domain/dist/index.js'];

/**
 * Makes sure the product is built the way `pnpm start` builds it. A missing output triggers
 * the build; `E2E_REBUILD=1` forces it (turbo's cache keeps an unchanged build instant).
 */
export function ensureBuilt(): void {
  const missing = BUILD_OUTPUTS.filter((file) => !existsSync(path.join(REPO_ROOT, file)));
  if (missing.length === 0 && process.env.E2E_REBUILD !== '1') return;
  // Vitest sets NODE_ENV=test; the build must see production, or Vite bundles React's dev build.
  const options = {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  } as const;
  execFileSync('pnpm', ['--filter', '@keysmith/domain', 'build'], options);
  execFileSync('pnpm', ['--filter', '@keysmith/web', 'build'], options);
  execFileSync('pnpm', ['--filter', '@keysmith/api', 'build'], options);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not allocate a port'));
      });
    });
  });
}

export interface RunningServer {
  /** `http://localhost:<port>`: the SPA and the API on one origin, as in production. */
  url: string;
  dataDir: string;
  /** What the server wrote to stdout/stderr, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

async function waitForHealthy(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Keysmith exited with code ${child.exitCode} before it was healthy:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Keysmith was not healthy within ${timeoutMs} ms:\n${output()}`);
}

/** `keysmith bootstrap` options: the first owner and their organization (team plan, `default` space). */
export interface BootstrapOptions {
  org: string;
  email: string;
  password: string;
  name?: string;
}

export interface StartOptions {
  /**
   * Runs `node apps/api/dist/cli.js bootstrap` against the same data directory before the
   * server starts, as an operator would on first start. Its output (which holds the root key)
   * is not kept.
   */
  bootstrap?: BootstrapOptions;
}

function runBootstrap(env: NodeJS.ProcessEnv, options: BootstrapOptions): void {
  const args = ['apps/api/dist/cli.js', 'bootstrap', '--org', options.org, '--email', options.email];
  args.push('--password', options.password);
  if (options.name) args.push('--name', options.name);
  try {
    execFileSync(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
    throw new Error(`keysmith bootstrap failed:\n${stderr}`);
  }
}

/**
 * Starts `node apps/api/dist/main.js` (what `pnpm start` serves) on a free port with a fresh
 * embedded database, and resolves once `/healthz` answers 200.
 */
export async function startServer(
  extraEnv: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  ensureBuilt();
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keysmith-e2e-'));
  const logs: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  if (options.bootstrap) {
    try {
      runBootstrap(env, options.bootstrap);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  const output = () => logs.join('').slice(-8000);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealthy(url, child, output, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, dataDir, output, stop };
}
