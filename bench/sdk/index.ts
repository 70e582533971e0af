/**
 * Benchmark (g), issue 12: what the SDK's Fastify middleware costs a protected route.
 *
 * The same Fastify route (`GET /o{i}/orders`, a small JSON answer) in two app processes:
 * bare, and behind `keysmithFastify` (scope `orders:read`), which calls
 * `POST /v1/keys/verify` on a Keysmith running on the same machine (the built API, embedded
 * PGlite, in-memory counters). Requests rotate over the seeded organizations with each
 * one's consumer key, so no account-wide rate cap refuses (non-2xx answers are counted and
 * must be 0). Both app processes and Keysmith are pinned to core 0, autocannon and the
 * open-loop generator to core 1: the protected figure pays for the app, the middleware and
 * Keysmith's verification on one core, as a co-located deployment would.
 *
 *   - peak: closed loop with autocannon, as in the hot-path benchmark (same connections,
 *     warm-up and duration), bare vs protected, and the ratio;
 *   - CPU per request: app + Keysmith CPU time over requests served, bare vs protected;
 *   - latency: open loop at a fixed arrival rate (half the protected peak), p50 and p99,
 *     bare vs protected: the delay the middleware adds to each request.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutocannonRequest } from 'autocannon';
import { build, closed, type Measured, open, startApi } from '../hot-path/index.js';
import { rawRequest } from '../hot-path/open-loop.js';
import {
  canPin,
  freePort,
  type Managed,
  pinSelf,
  removeTempDir,
  spawnPinned,
  tempDir,
} from '../hot-path/processes.js';
import { seedHotPath } from '../hot-path/seed.js';
import type { HotPathFigure } from '../stats.js';
import type { AppServerJob } from './app-server.js';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVER_CORE = 0;
const LOAD_CORE = 1;
const ORGS = Number(process.env.BENCH_SDK_ORGS ?? 100);

const log = (line: string) => process.stderr.write(`  ${line}\n`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export interface SdkReport {
  figures: HotPathFigure[];
  notes: string[];
}

async function startAppServer(job: AppServerJob): Promise<{ proc: Managed; url: string }> {
  const dir = tempDir('keysmith-bench-sdk-app-');
  const jobFile = path.join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  const proc = spawnPinned(
    SERVER_CORE,
    process.execPath,
    ['--import', 'tsx', '--conditions=@keysmith/source', path.join(BENCH_DIR, 'sdk/app-server.ts'), jobFile],
    { cwd: BENCH_DIR, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' } },
  );
  await proc.waitForLine(/listening/, 30_000);
  removeTempDir(dir);
  return { proc, url: `http://127.0.0.1:${job.port}` };
}

/** CPU-seconds of the watched server processes per request, in µs. */
function cpuPerRequestUs(m: Measured<{ requestsPerSecond: number }>): number {
  let extra = 0;
  for (const cpu of m.extraCpu.values()) extra += cpu;
  const cores = (m.serverCpu ?? Number.NaN) + extra;
  return (cores / m.result.requestsPerSecond) * 1e6;
}

export async function benchSdk(): Promise<SdkReport> {
  const figures: HotPathFigure[] = [];
  const notes: string[] = [];
  const pinned = pinSelf(LOAD_CORE) && canPin();
  notes.push(
    pinned
      ? `Pinned with taskset: Keysmith and the app on core ${SERVER_CORE}, load generators on core ${LOAD_CORE}.`
      : 'Not pinned (taskset unavailable or a single core).',
  );
  notes.push(...build());

  const dataDir = tempDir('keysmith-bench-sdk-');
  const running: Managed[] = [];
  try {
    log(`seeding ${ORGS} enterprise organizations (a keys:verify key and a consumer key each)…`);
    const orgs = await seedHotPath({ pgliteDir: path.join(dataDir, 'pglite') }, ORGS);
    const api = await startApi(dataDir, {});
    running.push(api.proc);
    const requests: AutocannonRequest[] = orgs.map((o, i) => ({
      method: 'GET',
      path: `/o${i}/orders`,
      headers: { authorization: `Bearer ${o.verifiedKey}` },
    }));
    const job = (mode: AppServerJob['mode'], port: number): AppServerJob => ({
      mode,
      port,
      keysmithUrl: api.url,
      callerKeys: orgs.map((o) => o.callerKey),
    });

    const plain = await startAppServer(job('plain', await freePort()));
    running.push(plain.proc);
    // Keysmith's processes: the API and its embedded database.
    const keysmithPids = api.dbPid === null ? [api.proc.pid] : [api.proc.pid, api.dbPid];
    const bare = await closed(
      '(g) Fastify route, no middleware',
      plain.proc,
      plain.url,
      requests,
      keysmithPids,
    );

    const guarded = await startAppServer(job('protected', await freePort()));
    running.push(guarded.proc);
    const prot = await closed(
      '(g) the same route behind keysmithFastify',
      guarded.proc,
      guarded.url,
      requests,
      keysmithPids,
    );
    const refused = prot.result.non2xx + prot.result.errors;

    const rate = Math.max(50, Math.round(prot.result.requestsPerSecond / 2));
    const port = (url: string) => Number(new URL(url).port);
    const raw = (url: string) =>
      requests.map((r) =>
        rawRequest(
          'GET',
          r.path ?? '/',
          `127.0.0.1:${port(url)}`,
          (r.headers ?? {}) as Record<string, string>,
        ),
      );
    const protOpen = await open(
      '(g) protected @ fixed rate',
      guarded.proc,
      port(guarded.url),
      rate,
      raw(guarded.url),
      'status200',
    );
    const bareOpen = await open(
      '(g) bare @ same rate',
      plain.proc,
      port(plain.url),
      rate,
      raw(plain.url),
      'status200',
    );

    figures.push(
      {
        id: 'g-base',
        name: '(g) Fastify route without middleware: peak',
        unit: 'req/s',
        value: bare.result.requestsPerSecond,
        baseline: bare.result.requestsPerSecond,
        baselineName: 'itself',
        detail: `closed loop; p50 ${bare.result.latencyP50Ms} ms, p99 ${bare.result.latencyP99Ms} ms; ${fmt(cpuPerRequestUs(bare), 1)} µs CPU per request (app + idle Keysmith)`,
      },
      {
        id: 'g',
        name: '(g) the same route behind keysmithFastify (verify on the same machine): peak',
        unit: 'req/s',
        value: prot.result.requestsPerSecond,
        baseline: bare.result.requestsPerSecond,
        baselineName: '(g) without middleware',
        detail: `closed loop; p50 ${prot.result.latencyP50Ms} ms, p99 ${prot.result.latencyP99Ms} ms; ${fmt(cpuPerRequestUs(prot), 1)} µs CPU per request (app + Keysmith); non-2xx or errors ${refused}`,
      },
      {
        id: 'g-p50',
        name: `(g) p50 latency at ${fmt(rate)} req/s (open loop), protected`,
        unit: 'ms',
        value: protOpen.result.p50Ms,
        baseline: bareOpen.result.p50Ms,
        baselineName: 'bare route at the same rate',
        lowerIsBetter: true,
        detail: `added ${(protOpen.result.p50Ms - bareOpen.result.p50Ms).toFixed(3)} ms; failed ${protOpen.result.failed}`,
      },
      {
        id: 'g-p99',
        name: `(g) p99 latency at ${fmt(rate)} req/s (open loop), protected`,
        unit: 'ms',
        value: protOpen.result.p99Ms,
        baseline: bareOpen.result.p99Ms,
        baselineName: 'bare route at the same rate',
        lowerIsBetter: true,
        detail: `added ${(protOpen.result.p99Ms - bareOpen.result.p99Ms).toFixed(3)} ms`,
      },
    );
    notes.push(
      `(g) ${ORGS} organizations, requests rotating over them; answers other than 200 under load: ${refused} (must be 0), open loop failures ${protOpen.result.failed}.`,
      `(g) overhead per request: ${fmt(cpuPerRequestUs(prot) - cpuPerRequestUs(bare), 1)} µs of CPU (app + Keysmith), ${(protOpen.result.p50Ms - bareOpen.result.p50Ms).toFixed(3)} ms at p50.`,
    );
    const spans = [bare, prot, protOpen, bareOpen].map((m) => m.background).filter((b) => b !== null);
    if (spans.length > 0) {
      const max = Math.max(...spans);
      notes.push(
        `(g) other processes used at most ${max.toFixed(2)} cores during the measured spans` +
          (max > 0.25 ? ': **the machine was not quiet; re-run on an idle machine.**' : ' (quiet).'),
      );
    }
  } finally {
    for (const proc of running.reverse()) await proc.stop(30_000);
    removeTempDir(dataDir);
  }
  return { figures, notes };
}
