/**
 * The verification hot path benchmark (issue 5, point 7), in one go on one machine:
 *
 *  (a) baseline: a bare `node:http` hello-world, separate process, closed-loop peak req/s
 *  (b) `POST /v1/keys/verify`, valid key, warm cache, in-memory counters, embedded PGlite:
 *      closed-loop peak req/s, and p50/p99 at half that rate, open-loop (constant arrival)
 *  (c) the same on Redis counters (REDIS_URL), when the API supports them and Redis runs
 *  (d) authenticated `GET /v1/rate-limit`, closed-loop peak req/s
 *  (e) `Verifier.verify` in-process on one core, verifications/s
 *
 * Servers run from the built API (`apps/api/dist`, rebuilt first unless BENCH_SKIP_BUILD=1)
 * on core 0; this process (autocannon), the open-loop generator (a child process) and
 * redis-server run on core 1; `taskset` pins them when available. Refusals are counted from
 * the request logs after each API process stops (must be 0). The API's CPU profile under (b)
 * load is taken in a separate run, so profiling does not slow the measured one. BENCHMARKS.md
 * explains the method and the figures.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutocannonRequest } from 'autocannon';
import type { HotPathFigure } from '../stats.js';
import { type ClosedLoopResult, closedLoop } from './closed-loop.js';
import { attachInspector } from './inspector-profile.js';
import { type OpenLoopResult, rawRequest } from './open-loop.js';
import type { OpenLoopJob } from './open-loop-child.js';
import {
  type CpuUse,
  canPin,
  childPids,
  commandExists,
  freePort,
  type Managed,
  pinPid,
  pinSelf,
  removeTempDir,
  spawnPinned,
  tempDir,
  waitForHttp,
  withCpu,
} from './processes.js';
import { formatProfile, type ProfileSummary, summariseProfile } from './profile.js';
import { countRequestLogs, type Phase, type PhaseCounts } from './request-log-counts.js';
import { type SeededOrg, seedHotPath } from './seed.js';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const CONNECTIONS = num('BENCH_CONNECTIONS', 50);
const DURATION = num('BENCH_DURATION', 10);
const WARMUP = num('BENCH_WARMUP', 3);
const ORGS = num('BENCH_ORGS', 500);
const CONSUMER_IP = '203.0.113.7';

export interface HotPathReport {
  figures: HotPathFigure[];
  /** Lines explaining the setup and each figure's conditions. */
  notes: string[];
  profile: ProfileSummary | null;
  profileFile: string | null;
}

const log = (line: string) => process.stderr.write(`  ${line}\n`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (n: number | undefined | null) =>
  n === undefined || n === null ? '?' : `${Math.round(n * 100)}%`;

let built: string[] | null = null;

/**
 * Builds `packages/domain` and `apps/api` once per `pnpm bench` (the SDK benchmark runs the
 * same dist); returns notes for the report.
 */
export function build(): string[] {
  built ??= buildOnce();
  return built;
}

function buildOnce(): string[] {
  const notes: string[] = [];
  if (process.env.BENCH_SKIP_BUILD === '1') {
    notes.push('Build skipped (BENCH_SKIP_BUILD=1): measuring the existing apps/api/dist.');
    return notes;
  }
  log('building packages/domain and apps/api (dist)…');
  for (const pkg of ['@keysmith/domain', '@keysmith/api']) {
    try {
      execFileSync('pnpm', ['--filter', pkg, 'run', 'build'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      // tsc still emits JavaScript on type errors (work in progress elsewhere); measure that.
      const main = path.join(
        ROOT,
        pkg === '@keysmith/api' ? 'apps/api/dist/main.js' : 'packages/domain/dist/index.js',
      );
      if (!existsSync(main)) throw error;
      notes.push(`\`pnpm --filter ${pkg} build\` reported errors; the emitted JavaScript was measured.`);
    }
  }
  return notes;
}

export interface ApiServer {
  proc: Managed;
  url: string;
  port: number;
  /**
   * The embedded database's process (PGlite behind the wire bridge, a child of the API), pinned
   * to the load core as a database server would run beside the API, not on its core; null on a
   * PostgreSQL server.
   */
  dbPid: number | null;
}

export async function startApi(
  dataDir: string,
  extraEnv: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ApiServer> {
  const port = await freePort();
  const proc = spawnPinned(
    SERVER_CORE,
    process.execPath,
    [...nodeArgs, path.join(ROOT, 'apps/api/dist/main.js')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        // Warnings and errors only: at `info`, Fastify logs two JSON lines per request to stdout.
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        ...extraEnv,
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000, proc);
  const dbPid = extraEnv.DATABASE_URL ? null : (childPids(proc.pid)[0] ?? null);
  if (dbPid !== null) pinPid(dbPid, LOAD_CORE);
  return { proc, url, port, dbPid };
}

function verifyRequests(orgs: SeededOrg[]): AutocannonRequest[] {
  return orgs.map((o) => ({
    method: 'POST',
    path: '/v1/keys/verify',
    headers: { authorization: `Bearer ${o.callerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key: o.verifiedKey, ip: CONSUMER_IP, endpoint: 'GET /orders' }),
  }));
}

function rateLimitRequests(orgs: SeededOrg[]): AutocannonRequest[] {
  return orgs.map((o) => ({
    method: 'GET',
    path: '/v1/rate-limit',
    headers: { authorization: `Bearer ${o.verifiedKey}` },
  }));
}

function raw(requests: AutocannonRequest[], port: number): Buffer[] {
  return requests.map((r) =>
    rawRequest(
      r.method ?? 'GET',
      r.path ?? '/',
      `127.0.0.1:${port}`,
      r.headers ?? {},
      r.body as string | undefined,
    ),
  );
}

/** CPU used by other processes during each measured span (cores): the run's noise floor. */
const backgrounds: number[] = [];

/** Requests served per second of the server's own CPU time: a cross-check that contention cannot skew. */
const perCpu = (m: Measured<ClosedLoopResult>) =>
  m.serverCpu
    ? `${fmt(m.result.requestsPerSecond / m.serverCpu)} req per server CPU-second`
    : 'server CPU unknown';

export interface Measured<T> {
  result: T;
  serverCpu: number | undefined;
  loadCpu: number | undefined;
  /** CPU of each extra process watched (redis-server, the embedded database), by pid. */
  extraCpu: Map<number, number>;
  background: number | null;
  from: number;
  to: number;
}

export async function closed(
  label: string,
  server: Managed,
  url: string,
  requests?: AutocannonRequest[],
  extraPids: number[] = [],
): Promise<Measured<ClosedLoopResult>> {
  await closedLoop({
    url,
    connections: CONNECTIONS,
    durationSeconds: WARMUP,
    ...(requests ? { requests } : {}),
  });
  const from = Date.now();
  const { result, cpu } = await withCpu([server.pid, process.pid, ...extraPids], () =>
    closedLoop({
      url,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      ...(requests ? { requests } : {}),
    }),
  );
  const to = Date.now();
  const m = {
    result,
    serverCpu: cpu.byPid.get(server.pid),
    loadCpu: cpu.byPid.get(process.pid),
    extraCpu: new Map(extraPids.map((pid) => [pid, cpu.byPid.get(pid) ?? 0])),
    background: cpu.background,
    from,
    to,
  };
  if (m.background !== null) backgrounds.push(m.background);
  log(
    `${label}: ${fmt(result.requestsPerSecond)} req/s (closed loop, ${CONNECTIONS} connections, ${DURATION} s; p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms; non-2xx ${result.non2xx}, errors ${result.errors}; server core ${pct(m.serverCpu)}, load core ${pct(m.loadCpu)}, background ${m.background === null ? '?' : m.background.toFixed(2)} cores)`,
  );
  if (result.errors > 0 || result.non2xx > 0) log(`  status codes: ${JSON.stringify(result.statusCodes)}`);
  return m;
}

export async function open(
  label: string,
  server: Managed,
  port: number,
  rate: number,
  requests: Buffer[],
  check: OpenLoopJob['check'],
  options: { yieldToRedis?: boolean; extraPids?: number[] } = {},
): Promise<Measured<OpenLoopResult>> {
  // The generator runs in a fresh child process on the load core (see open-loop-child.ts).
  // It spins to send on time; when redis-server shares its core, it runs at a lower priority
  // (nice 10) so that Redis, woken by each command, preempts it at once instead of queueing
  // behind a busy loop (which would add milliseconds to every Redis round trip).
  const jobFile = path.join(tempDir('keysmith-bench-open-'), 'job.json');
  const job: OpenLoopJob = {
    host: '127.0.0.1',
    port,
    rate,
    warmupSeconds: 2,
    durationSeconds: DURATION,
    requests: requests.map((r) => r.toString('latin1')),
    check,
  };
  writeFileSync(jobFile, JSON.stringify(job));
  const generator = spawnPinned(
    LOAD_CORE,
    process.execPath,
    ['--import', 'tsx', path.join(BENCH_DIR, 'hot-path/open-loop-child.ts'), jobFile],
    {
      cwd: BENCH_DIR,
      env: { ...process.env, NODE_OPTIONS: '' },
      ...(options.yieldToRedis ? { nice: 10 } : {}),
    },
  );
  const from = Date.now();
  let result: OpenLoopResult;
  let cpu: CpuUse;
  try {
    ({ result, cpu } = await withCpu([server.pid, generator.pid, ...(options.extraPids ?? [])], async () => {
      const line = await generator.waitForLine(/OPENLOOP (\{.*\})\n/, (DURATION + 60) * 1000);
      return JSON.parse(line[1] as string) as OpenLoopResult;
    }));
  } finally {
    await generator.stop();
    removeTempDir(path.dirname(jobFile));
  }
  const to = Date.now();
  const m = {
    result,
    serverCpu: cpu.byPid.get(server.pid),
    loadCpu: cpu.byPid.get(generator.pid),
    extraCpu: new Map((options.extraPids ?? []).map((pid) => [pid, cpu.byPid.get(pid) ?? 0])),
    background: cpu.background,
    from,
    to,
  };
  if (m.background !== null) backgrounds.push(m.background);
  log(
    `${label}: open loop at ${fmt(rate)} req/s (achieved ${fmt(result.achievedRate)}): p50 ${result.p50Ms.toFixed(3)} ms, p90 ${result.p90Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms, p99.9 ${result.p999Ms.toFixed(3)} ms, max ${result.maxMs.toFixed(1)} ms; failed ${result.failed}, errors ${result.errors}; generator send lag p99 ${result.sendLagP99Ms.toFixed(3)} ms; ${result.connectionsUsed} connections; server core ${pct(m.serverCpu)}, background ${m.background === null ? '?' : m.background.toFixed(2)} cores`,
  );
  return m;
}

/** RedisCounters wired into the API (REDIS_URL selects them)? Checked in the built code. */
function redisCountersWired(): boolean {
  const file = path.join(ROOT, 'apps/api/dist/verify/verification.js');
  if (!existsSync(file)) return false;
  const source = readFileSync(file, 'utf8');
  return source.includes('RedisCounters') && source.includes('REDIS_URL');
}

async function startRedis(): Promise<
  { url: string; proc: Managed | null; dir: string | null } | { skip: string }
> {
  if (process.env.BENCH_REDIS_URL) return { url: process.env.BENCH_REDIS_URL, proc: null, dir: null };
  if (!commandExists('redis-server'))
    return {
      skip: 'no redis-server on PATH and BENCH_REDIS_URL unset (`source .ci/lib.sh && ks_ensure_redis` installs it)',
    };
  const port = await freePort();
  const dir = tempDir('keysmith-bench-redis-');
  // Foreground child (not daemonized) so it dies with the benchmark; on the load core, so
  // the API's core is the same one the baseline had to itself.
  const proc = spawnPinned(LOAD_CORE, 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  try {
    await proc.waitForLine(/Ready to accept connections/i, 10_000);
  } catch (error) {
    await proc.stop();
    removeTempDir(dir);
    return { skip: `redis-server did not start: ${(error as Error).message.split('\n')[0]}` };
  }
  return { url: `redis://127.0.0.1:${port}`, proc, dir };
}

export async function benchHotPath(): Promise<HotPathReport> {
  const figures: HotPathFigure[] = [];
  const notes: string[] = [];
  let profile: ProfileSummary | null = null;
  let profileFile: string | null = null;

  const pinned = pinSelf(LOAD_CORE) && canPin();
  notes.push(
    pinned
      ? `Pinned with taskset: servers (hello-world, API) on core ${SERVER_CORE}; load generators (autocannon in this process; the open-loop client in a child process) and redis-server on core ${LOAD_CORE}.`
      : 'Not pinned (taskset unavailable or a single core): servers and load generators share the cores.',
  );
  notes.push(...build());

  const dataDir = tempDir('keysmith-bench-hot-');
  const pgliteDir = path.join(dataDir, 'pglite');
  const servers: Managed[] = [];
  try {
    log(
      `seeding ${ORGS} enterprise organizations (a keys:verify caller key and a verified key each) via createKey…`,
    );
    const t0 = performance.now();
    const orgs = await seedHotPath({ pgliteDir }, ORGS);
    log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const verifyReqs = verifyRequests(orgs);
    const rateReqs = rateLimitRequests(orgs);

    // (a) the baseline server.
    const helloPort = await freePort();
    const hello = spawnPinned(SERVER_CORE, process.execPath, [
      path.join(BENCH_DIR, 'hot-path/hello-server.mjs'),
      String(helloPort),
    ]);
    servers.push(hello);
    await hello.waitForLine(/listening/, 10_000);
    const helloUrl = `http://127.0.0.1:${helloPort}/`;
    const a = await closed('(a) node:http hello-world', hello, helloUrl);
    const baseRps = a.result.requestsPerSecond;
    figures.push({
      id: 'a',
      name: '(a) baseline: bare node:http hello-world',
      unit: 'req/s',
      value: baseRps,
      baseline: baseRps,
      baselineName: '(a)',
      detail: `closed loop, ${CONNECTIONS} conn; server core ${pct(a.serverCpu)}, load core ${pct(a.loadCpu)}; ${perCpu(a)}`,
    });

    // (b) + (d) on in-memory counters.
    log('starting the API (dist, embedded PGlite, in-memory counters)…');
    const api = await startApi(dataDir, {});
    servers.push(api.proc);
    const phases: Phase[] = [];
    const dbPids = api.dbPid === null ? [] : [api.dbPid];
    const b = await closed(
      '(b) POST /v1/keys/verify',
      api.proc,
      `${api.url}/v1/keys/verify`,
      verifyReqs,
      dbPids,
    );
    phases.push({ name: '(b) closed loop', from: b.from, to: b.to });
    const bRps = b.result.requestsPerSecond;
    figures.push({
      id: 'b',
      name: '(b) POST /v1/keys/verify, in-memory counters: peak',
      unit: 'req/s',
      value: bRps,
      baseline: baseRps,
      baselineName: '(a)',
      target: { text: '≥ 0.6 × (a)', pass: bRps >= 0.6 * baseRps },
      detail: `closed loop, ${CONNECTIONS} conn; server core ${pct(b.serverCpu)}, load core ${pct(b.loadCpu)}, embedded database ${pct(api.dbPid === null ? undefined : b.extraCpu.get(api.dbPid))} (on the load core); ${perCpu(b)}`,
    });
    const halfB = Math.max(100, Math.round(bRps / 2));
    const bOpen = await open(
      '(b) verify @ half peak',
      api.proc,
      api.port,
      halfB,
      raw(verifyReqs, api.port),
      'validVerify',
      { extraPids: dbPids },
    );
    phases.push({ name: '(b) open loop', from: bOpen.from, to: bOpen.to });
    const d = await closed('(d) GET /v1/rate-limit', api.proc, `${api.url}/v1/rate-limit`, rateReqs, dbPids);
    phases.push({ name: '(d) closed loop', from: d.from, to: d.to });
    figures.push({
      id: 'd',
      name: '(d) GET /v1/rate-limit (authenticated): peak',
      unit: 'req/s',
      value: d.result.requestsPerSecond,
      baseline: baseRps,
      baselineName: '(a)',
      detail: `closed loop; non-2xx ${d.result.non2xx}; server core ${pct(d.serverCpu)}; ${perCpu(d)}`,
    });
    log('stopping the API (SIGTERM: drains request logs and usage)…');
    await api.proc.stop(30_000);
    // The baseline's latency at the same arrival rate, with no API process alive on its core.
    const aOpen = await open(
      '(a) hello-world @ same rate',
      hello,
      helloPort,
      halfB,
      [rawRequest('GET', '/', `127.0.0.1:${helloPort}`, {})],
      'status200',
    );
    figures.splice(2, 0, {
      id: 'b-p99',
      name: `(b) verify p99 at half peak (${fmt(halfB)} req/s, open loop)`,
      unit: 'ms',
      value: bOpen.result.p99Ms,
      baseline: aOpen.result.p99Ms,
      baselineName: '(a) p99 at the same rate',
      lowerIsBetter: true,
      target: { text: '≤ 2 ms', pass: bOpen.result.p99Ms <= 2 && bOpen.result.errors === 0 },
      detail: `p50 ${bOpen.result.p50Ms.toFixed(3)} ms (baseline ${aOpen.result.p50Ms.toFixed(3)}), p99.9 ${bOpen.result.p999Ms.toFixed(2)} ms; generator lag p99 ${bOpen.result.sendLagP99Ms.toFixed(3)} ms`,
    });
    const counts = await countRequestLogs({ pgliteDir }, phases);
    reportRefusals(counts, notes, figures, bOpen.result.failed);

    // CPU profile of the API under (b) load, in a run of its own (profiling costs throughput).
    mkdirSync(RESULTS_DIR, { recursive: true });
    profileFile = path.join(
      RESULTS_DIR,
      `api-verify-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
    );
    log('profiling the API under (b) load (inspector, 8 s)…');
    const profiled = await startApi(dataDir, {}, ['--inspect=127.0.0.1:0']);
    servers.push(profiled.proc);
    const inspector = await attachInspector(profiled.proc);
    try {
      await closedLoop({
        url: `${profiled.url}/v1/keys/verify`,
        connections: CONNECTIONS,
        durationSeconds: 2,
        requests: verifyReqs,
      });
      await inspector.start();
      await closedLoop({
        url: `${profiled.url}/v1/keys/verify`,
        connections: CONNECTIONS,
        durationSeconds: 8,
        requests: verifyReqs,
      });
      await inspector.stop(profileFile);
    } finally {
      inspector.close();
      await profiled.proc.stop(30_000);
    }
    profile = summariseProfile(profileFile, 25);

    // (c) Redis counters.
    await benchRedis(dataDir, verifyReqs, baseRps, figures, notes, hello, helloPort, servers);
    await benchPostgres(dataDir, baseRps, figures, notes, hello, helloPort, servers);

    await hello.stop();

    // (e) the pipeline in-process.
    log('(e) Verifier.verify in-process (child process, one core)…');
    const e = spawnPinned(
      SERVER_CORE,
      process.execPath,
      ['--import', 'tsx', path.join(BENCH_DIR, 'hot-path/pipeline.bench.ts')],
      {
        cwd: BENCH_DIR,
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    servers.push(e);
    let eResult: Record<
      'baseline' | 'plain' | 'quotas',
      { perSecond: number; rounds: number[]; refused: number }
    > | null = null;
    try {
      const line = await e.waitForLine(/\{"baseline".*\}\n/, 120_000);
      eResult = JSON.parse(line[0]);
    } catch (error) {
      log(`(e) failed: ${(error as Error).message}`);
      notes.push(`(e) failed: ${(error as Error).message.split('\n').slice(0, 6).join(' ')}`);
    }
    await e.stop();
    if (eResult) {
      log(
        `  baseline ${fmt(eResult.baseline.perSecond)}/s, pipeline ${fmt(eResult.plain.perSecond)}/s, with quotas ${fmt(eResult.quotas.perSecond)}/s; refused ${eResult.plain.refused + eResult.quotas.refused}`,
      );
      figures.push({
        id: 'e',
        name: '(e) Verifier.verify in-process, one core',
        unit: 'verifications/s',
        value: eResult.plain.perSecond,
        baseline: eResult.baseline.perSecond,
        baselineName: 'parseApiKey + SHA-256 + timingSafeEqual alone',
        target: {
          text: '≥ 300,000/s',
          pass: eResult.plain.perSecond >= 300_000 && eResult.plain.refused === 0,
        },
        detail: `median of ${eResult.plain.rounds.length} rounds; refused ${eResult.plain.refused}`,
      });
      figures.push({
        id: 'e-q',
        name: '(e) same, key with daily + monthly quotas',
        unit: 'verifications/s',
        value: eResult.quotas.perSecond,
        baseline: eResult.baseline.perSecond,
        baselineName: 'parseApiKey + SHA-256 + timingSafeEqual alone',
        detail: `informative; refused ${eResult.quotas.refused}`,
      });
    }
  } finally {
    for (const s of servers.reverse()) await s.stop(5_000).catch(() => undefined);
    removeTempDir(dataDir);
  }
  if (backgrounds.length > 0) {
    const max = Math.max(...backgrounds);
    const mean = backgrounds.reduce((a, b) => a + b, 0) / backgrounds.length;
    notes.push(
      `Other processes on the machine used ${mean.toFixed(2)} cores on average (max ${max.toFixed(2)}) during the measured spans` +
        (max > 0.25
          ? ': **the machine was not quiet; these figures understate it. Re-run on an idle machine.**'
          : ' (quiet).'),
    );
  }
  return { figures, notes, profile, profileFile };
}

function reportRefusals(
  counts: PhaseCounts[],
  notes: string[],
  figures: HotPathFigure[],
  openFailed: number,
): void {
  for (const c of counts) {
    log(`  request logs ${c.name}: ${JSON.stringify(c.byCode)} → refused ${c.refused}`);
  }
  const refused = counts.reduce((n, c) => n + c.refused, 0);
  const metered = counts.reduce((n, c) => n + c.metered, 0);
  notes.push(
    `Refusals on the in-memory run (from the request logs written after a graceful stop): ${refused} of ${fmt(metered)} metered requests` +
      ` (${counts.map((c) => `${c.name}: ${c.refused}`).join(', ')}); open-loop answers not \`valid: true\`: ${openFailed}.`,
  );
  for (const f of figures) {
    if ((f.id === 'b' || f.id === 'b-p99' || f.id === 'd') && f.target && refused > 0) f.target.pass = false;
  }
}

async function benchRedis(
  dataDir: string,
  verifyReqs: AutocannonRequest[],
  baseRps: number,
  figures: HotPathFigure[],
  notes: string[],
  hello: Managed,
  helloPort: number,
  servers: Managed[],
): Promise<void> {
  const skip = (reason: string) => {
    log(`(c) skipped: ${reason}`);
    notes.push(`(c) Redis counters: skipped: ${reason}.`);
    figures.push({
      id: 'c',
      name: '(c) POST /v1/keys/verify, Redis counters: peak',
      unit: 'req/s',
      value: Number.NaN,
      baseline: baseRps,
      baselineName: '(a)',
      target: { text: '≥ 0.4 × (a)', pass: null },
      detail: `skipped: ${reason}`,
    });
  };
  if (!redisCountersWired()) return skip('RedisCounters not wired');
  const redis = await startRedis();
  if ('skip' in redis) return skip(redis.skip);
  if (redis.proc) servers.push(redis.proc);
  try {
    log(`starting the API with REDIS_URL=${redis.url}…`);
    const api = await startApi(dataDir, { REDIS_URL: redis.url });
    servers.push(api.proc);
    const extra = [...(redis.proc ? [redis.proc.pid] : []), ...(api.dbPid === null ? [] : [api.dbPid])];
    const c = await closed(
      '(c) POST /v1/keys/verify (Redis)',
      api.proc,
      `${api.url}/v1/keys/verify`,
      verifyReqs,
      extra,
    );
    const cRps = c.result.requestsPerSecond;
    figures.push({
      id: 'c',
      name: '(c) POST /v1/keys/verify, Redis counters: peak',
      unit: 'req/s',
      value: cRps,
      baseline: baseRps,
      baselineName: '(a)',
      target: { text: '≥ 0.4 × (a)', pass: cRps >= 0.4 * baseRps },
      detail: `closed loop, ${CONNECTIONS} conn; server core ${pct(c.serverCpu)}, load core ${pct(c.loadCpu)}, redis ${pct(redis.proc ? c.extraCpu.get(redis.proc.pid) : undefined)}, embedded database ${pct(api.dbPid === null ? undefined : c.extraCpu.get(api.dbPid))}; ${perCpu(c)}`,
    });
    const { open: cOpen, figure: cP99 } = await halfPeakP99(
      {
        id: 'c-p99',
        name: '(c) verify (Redis)',
        peak: cRps,
        server: api.proc,
        port: api.port,
        requests: raw(verifyReqs, api.port),
      },
      { hello, helloPort },
      { yieldToRedis: true, extraPids: extra },
    );
    figures.push(cP99);
    const counts = await countRequestLogs({ pgliteDir: path.join(dataDir, 'pglite') }, [
      { name: '(c) closed loop', from: c.from, to: c.to },
      { name: '(c) open loop', from: cOpen.from, to: cOpen.to },
    ]);
    const refused = noteRefusals(counts, 'Redis', cOpen.result.failed, notes);
    const cFigure = figures.find((f) => f.id === 'c');
    if (cFigure?.target && refused > 0) cFigure.target.pass = false;
  } finally {
    await redis.proc?.stop(5_000);
    if (redis.dir) removeTempDir(redis.dir);
  }
}

/**
 * (f) The same verify on a PostgreSQL server (`BENCH_DATABASE_URL`, a database of its own: the
 * bench seeds organizations into it and counts its request logs), in-memory counters: production
 * mode's figure. The server runs wherever the URL points (unpinned when it is on this machine).
 */
async function benchPostgres(
  dataDir: string,
  baseRps: number,
  figures: HotPathFigure[],
  notes: string[],
  hello: Managed,
  helloPort: number,
  servers: Managed[],
): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    log('(f) skipped: BENCH_DATABASE_URL is not set');
    notes.push('(f) PostgreSQL server: skipped (set BENCH_DATABASE_URL to a database of its own).');
    return;
  }
  log(`seeding ${ORGS} organizations into the PostgreSQL server…`);
  const orgs = await seedHotPath({ databaseUrl: url }, ORGS);
  const verifyReqs = verifyRequests(orgs);
  log('starting the API with DATABASE_URL (in-memory counters)…');
  // Production mode with a server requires the key that encrypts webhook secrets (any will do here).
  const api = await startApi(dataDir, {
    DATABASE_URL: url,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  servers.push(api.proc);
  const f = await closed(
    '(f) POST /v1/keys/verify (PostgreSQL)',
    api.proc,
    `${api.url}/v1/keys/verify`,
    verifyReqs,
  );
  const fRps = f.result.requestsPerSecond;
  figures.push({
    id: 'f',
    name: '(f) POST /v1/keys/verify, PostgreSQL server: peak',
    unit: 'req/s',
    value: fRps,
    baseline: baseRps,
    baselineName: '(a)',
    detail: `closed loop, ${CONNECTIONS} conn; server core ${pct(f.serverCpu)}, load core ${pct(f.loadCpu)}; ${perCpu(f)}`,
  });
  const { open: fOpen, figure: fP99 } = await halfPeakP99(
    {
      id: 'f-p99',
      name: '(f) verify (PostgreSQL)',
      peak: fRps,
      server: api.proc,
      port: api.port,
      requests: raw(verifyReqs, api.port),
    },
    { hello, helloPort },
  );
  figures.push(fP99);
  const counts = await countRequestLogs({ databaseUrl: url }, [
    { name: '(f) closed loop', from: f.from, to: f.to },
    { name: '(f) open loop', from: fOpen.from, to: fOpen.to },
  ]);
  noteRefusals(counts, 'PostgreSQL', fOpen.result.failed, notes);
}

/**
 * p99 at half of a measured peak (open loop), then the API stopped and the hello-world baseline
 * measured at the same rate with nothing else on its core: the (c) and (f) latency figures.
 */
async function halfPeakP99(
  run: { id: string; name: string; peak: number; server: Managed; port: number; requests: Buffer[] },
  baseline: { hello: Managed; helloPort: number },
  options: { yieldToRedis?: boolean; extraPids?: number[] } = {},
): Promise<{ open: Measured<OpenLoopResult>; figure: HotPathFigure }> {
  const half = Math.max(100, Math.round(run.peak / 2));
  const measured = await open(
    `${run.name} @ half peak`,
    run.server,
    run.port,
    half,
    run.requests,
    'validVerify',
    options,
  );
  await run.server.stop(30_000);
  const aOpen = await open(
    '(a) hello-world @ same rate',
    baseline.hello,
    baseline.helloPort,
    half,
    [rawRequest('GET', '/', `127.0.0.1:${baseline.helloPort}`, {})],
    'status200',
    options.yieldToRedis ? { yieldToRedis: true } : {},
  );
  return {
    open: measured,
    figure: {
      id: run.id,
      name: `${run.name} p99 at half peak (${fmt(half)} req/s, open loop)`,
      unit: 'ms',
      value: measured.result.p99Ms,
      baseline: aOpen.result.p99Ms,
      baselineName: '(a) p99 at the same rate',
      lowerIsBetter: true,
      detail: `p50 ${measured.result.p50Ms.toFixed(3)} ms; failed ${measured.result.failed}`,
    },
  };
}

/** Logs the request-log codes of each phase and notes the refusals of a run; returns how many. */
function noteRefusals(
  counts: Awaited<ReturnType<typeof countRequestLogs>>,
  run: string,
  failed: number,
  notes: string[],
): number {
  const refused = counts.reduce((n, x) => n + x.refused, 0);
  for (const x of counts) log(`  request logs ${x.name}: ${JSON.stringify(x.byCode)} → refused ${x.refused}`);
  notes.push(`Refusals on the ${run} run: ${refused}; open-loop answers not \`valid: true\`: ${failed}.`);
  return refused;
}

export function writeProfileReport(report: HotPathReport): string | null {
  if (!report.profile) return null;
  const text = formatProfile(report.profile);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'hot-path-profile.md'), `${text}\n`);
  return text;
}
