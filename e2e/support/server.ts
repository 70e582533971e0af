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
  execFileSync('pnpm', ['--filter', '@keysmith/domain', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  execFileSync('pnpm', ['--filter', '@keysmith/web', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  execFileSync('pnpm', ['--filter', '@keysmith/api', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
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

/**
 * Starts `node apps/api/dist/main.js` (what `pnpm start` serves) on a free port with a fresh
 * embedded database, and resolves once `/healthz` answers 200.
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  ensureBuilt();
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keysmith-e2e-'));
  const logs: string[] = [];
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
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
