import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for tests that run real API processes (`node src/main.ts`) side by side. */

/**
 * Why a test file of several processes cannot run here, or null: they need a shared PostgreSQL
 * server (PGlite is single-process) and, with `redis`, a Redis server. Warns under `name`.
 */
export function clusterSkipReason(name: string, needs: { redis: boolean }): string | null {
  const reason =
    needs.redis && !process.env.TEST_REDIS_URL
      ? 'TEST_REDIS_URL is not set (source .ci/lib.sh && ks_start_redis)'
      : !process.env.TEST_DATABASE_URL
        ? 'TEST_DATABASE_URL is not set: two API processes need a shared PostgreSQL server (PGlite is ' +
          'single-process); source .ci/lib.sh && ks_start_postgres'
        : null;
  if (reason) console.warn(`${name}: skipped: ${reason}`);
  return reason;
}

const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Shared by every process of a run, as in production (webhook secrets are encrypted with it). */
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

/** A free TCP port on 127.0.0.1 (the OS picks it; released before the child binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ApiProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** stdout + stderr lines (pino JSON at LOG_LEVEL), for diagnostics. */
  output: string[];
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends the signal (SIGTERM by default: graceful drain) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Every process started here, so a test file's afterAll can kill what is still running. */
const running = new Set<ApiProcess>();

/**
 * Starts `node --conditions=@keysmith/source --import tsx src/main.ts` with `env` on a free port
 * and waits until `/healthz` answers 200 (migrations applied, Redis connected).
 */
export async function startApiProcess(name: string, env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), `keysmith-${name.toLowerCase()}-`));
  const child = spawn(process.execPath, ['--conditions=@keysmith/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      WEB_DIST_DIR: path.join(API_DIR, 'no-spa-in-tests'),
      KEY_MAINTENANCE_PERIOD_MS: '60000',
      ENCRYPTION_KEY,
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) output.push(line);
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const proc: ApiProcess = {
    name,
    url,
    child,
    output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      running.delete(proc);
      return code;
    },
  };
  running.add(proc);
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (dead) break;
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop('SIGKILL');
  throw new Error(`${name} did not start:\n${output.slice(-40).join('\n')}`);
}

/** What a process's `scheduled jobs` log lines say it did: the sum per job name (LOG_LEVEL=info). */
export function loggedJobCounts(proc: ApiProcess, jobs: readonly string[]): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(jobs.map((job) => [job, 0]));
  for (const line of proc.output) {
    if (!line.includes('"scheduled jobs"')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    for (const job of jobs) totals[job] = (totals[job] ?? 0) + Number(entry[job] ?? 0);
  }
  return totals;
}

/** Kills every process still running (afterAll). */
export async function stopAllApiProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

/** TEST_REDIS_URL with a database number (tests that FLUSHDB get their own). */
export function redisUrlWithDb(base: string, db: number): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}

/** The p-th percentile (0–100) of a list of numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The most timestamps inside any half-open span (t - widthMs, t]. */
export function maxInAnySpan(times: readonly number[], widthMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    const end = sorted[hi] ?? 0;
    while ((sorted[lo] ?? 0) <= end - widthMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
