/**
 * (e) The verification pipeline alone, in-process, on one core: `Verifier.verify` with the
 * real `KeyCache` (warm), `MemoryCounters` and `UsageStore`, called back to back (each call
 * awaited, as a request would) for a fixed time, in rounds; the median round is reported.
 *
 * The database is replaced by an in-memory stand-in that answers the key lookup and the
 * usage lookup with rows, so the cache is warmed through the real `toVerifiableKey` and
 * nothing on the measured path touches a database (as in the server: a warm cache never
 * queries). Keys are spread over 10,000 enterprise organizations so the account-wide rate
 * caps (200/s, 3000/min) never refuse; refusals are counted and must be 0.
 *
 * Baseline, measured in the same process and loop shape: the irreducible per-request work
 * of any correct implementation, i.e. `parseApiKey` (checksum) + SHA-256 of the secret (one-shot
 * `crypto.hash`) + `timingSafeEqual` against the stored hash, in an async function awaited per call.
 *
 * Run by bench/run.ts in a child process pinned to one core (`node --import tsx`, without the
 * source condition); prints one JSON line.
 */
import { createHash, hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import { generateApiKey, parseApiKey } from '@keysmith/domain';
import type { Orm } from '../../apps/api/src/db/orm.js';
import type * as KeyCacheModule from '../../apps/api/src/verify/key-cache.js';
import type * as MemoryCountersModule from '../../apps/api/src/verify/memory-counters.js';
import type * as PipelineModule from '../../apps/api/src/verify/pipeline.js';
import type { Verifier, VerifyRequest } from '../../apps/api/src/verify/pipeline.js';
import type * as UsageStoreModule from '../../apps/api/src/verify/usage-store.js';
import type { KeyRow } from '../../apps/api/src/verify/verifiable-key.js';

// The code under test is the built API (apps/api/dist, as the server runs it), loaded at run
// time; the types come from its sources. Run without the `@keysmith/source` condition so
// `@keysmith/domain` is its dist build too, exactly what the server process executes.
const dist = new URL('../../apps/api/dist/verify/', import.meta.url);
const load = async <T>(file: string): Promise<T> => (await import(new URL(file, dist).href)) as T;
const { KeyCache } = await load<typeof KeyCacheModule>('key-cache.js');
const { MemoryCounters } = await load<typeof MemoryCountersModule>('memory-counters.js');
const { Verifier: VerifierClass } = await load<typeof PipelineModule>('pipeline.js');
const { UsageStore } = await load<typeof UsageStoreModule>('usage-store.js');

const ORGS = 10_000;
const ROUND_MS = Number(process.env.BENCH_PIPELINE_ROUND_MS ?? 700);
const ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 5);

interface Fixture {
  keys: string[];
  hashes: Buffer[];
  verifier: Verifier;
}

function fixture(withQuotas: boolean): Fixture {
  const rows = new Map<string, KeyRow>();
  const keys: string[] = [];
  const hashes: Buffer[] = [];
  for (let i = 0; i < ORGS; i++) {
    const generated = generateApiKey({ prefix: 'sk', environment: 'live' });
    const hash = createHash('sha256').update(generated.secret).digest('hex');
    keys.push(generated.key);
    hashes.push(Buffer.from(hash, 'hex'));
    rows.set(generated.keyId, {
      id: generated.keyId,
      organization_id: `org_pipeline${String(i).padStart(6, '0')}`,
      space_id: `spc_pipeline${String(i).padStart(6, '0')}`,
      name: `consumer ${i}`,
      environment: 'live',
      scopes: ['orders:read'],
      secret_hash: hash,
      revoked_at: null,
      grace_ends_at: null,
      active: true,
      expires_at: null,
      ip_allowlist: [],
      quota_total: null,
      quota_daily: withQuotas ? 1_000_000_000 : null,
      quota_weekly: null,
      quota_monthly: withQuotas ? 1_000_000_000 : null,
      rate_limit_per_second: null,
      rate_limit_per_minute: null,
      plan: 'enterprise',
      version: 1,
    });
  }
  const connection = {
    async execute(sql: string, params: unknown[]): Promise<unknown[]> {
      if (sql.includes('from api_keys')) {
        const row = rows.get(String(params[0]));
        return row ? [row] : [];
      }
      return []; // usage_buckets: no persisted usage yet
    },
  };
  // Both shapes the API uses: `em.fork().getConnection().execute` and `em.fork().execute`.
  const em = { execute: connection.execute, getConnection: () => connection, fork: () => em };
  const orm = { em } as unknown as Orm;
  // Nothing is flushed during the measurement: a write here would be a bug.
  const batch = {
    copyText: () => Promise.reject(new Error('not written in this bench')),
    query: () => Promise.reject(new Error('not written in this bench')),
  };
  const usage = new UsageStore(orm, batch);
  const keyCache = new KeyCache(orm, { positiveTtlMs: 3_600_000, negativeTtlMs: 5000, maxEntries: 100_000 });
  const counters = new MemoryCounters((keyId, now) => usage.load(keyId, now), {
    maxFailures: 20,
    failureWindowMs: 300_000,
    blockMs: 900_000,
  });
  return { keys, hashes, verifier: new VerifierClass({ keys: keyCache, counters, usage }) };
}

interface Rate {
  perSecond: number;
  rounds: number[];
  refused: number;
}

async function measure(call: (i: number) => Promise<boolean>): Promise<Rate> {
  let i = 0;
  let refused = 0;
  const round = async () => {
    const start = process.hrtime.bigint();
    const until = start + BigInt(ROUND_MS) * 1_000_000n;
    let n = 0;
    for (;;) {
      // Check the clock every 256 calls so reading it costs nothing measurable.
      for (let k = 0; k < 256; k++) {
        if (!(await call(i++))) refused++;
      }
      n += 256;
      const now = process.hrtime.bigint();
      if (now >= until) return (n * 1e9) / Number(now - start);
    }
  };
  await round(); // warm-up: JIT, caches, limiter rings
  refused = 0;
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await round());
  const sorted = [...rounds].sort((a, b) => a - b);
  return { perSecond: sorted[Math.floor(sorted.length / 2)] ?? 0, rounds, refused };
}

async function pipelineRate(withQuotas: boolean): Promise<Rate> {
  const { keys, verifier } = fixture(withQuotas);
  const request = (i: number): VerifyRequest => ({
    key: keys[i % ORGS] as string,
    ip: '203.0.113.7',
    requiredScopes: [],
    cost: 1,
    meter: true,
    now: Date.now(),
  });
  // Warm the key cache (and the quota counters) once through the real load path.
  for (let i = 0; i < ORGS; i++) await verifier.verify(request(i));
  return measure(async (i) => (await verifier.verify(request(i))).code === 'VALID');
}

async function baselineRate(): Promise<Rate> {
  const { keys, hashes } = fixture(false);
  const check = async (i: number): Promise<boolean> => {
    const parsed = parseApiKey(keys[i % ORGS] as string);
    if (!parsed.ok) return false;
    // The fastest SHA-256 Node offers (the one-shot API the pipeline uses too).
    const digest = oneShotHash('sha256', parsed.key.secret, 'buffer');
    return timingSafeEqual(digest, hashes[i % ORGS] as Buffer);
  };
  return measure(check);
}

// BENCH_PIPELINE_PHASES=plain (for instance) runs one phase only, e.g. to profile it alone.
const phases = (process.env.BENCH_PIPELINE_PHASES ?? 'baseline,plain,quotas').split(',');
const skipped: Rate = { perSecond: Number.NaN, rounds: [], refused: 0 };
const baseline = phases.includes('baseline') ? await baselineRate() : skipped;
const plain = phases.includes('plain') ? await pipelineRate(false) : skipped;
const quotas = phases.includes('quotas') ? await pipelineRate(true) : skipped;
process.stdout.write(`${JSON.stringify({ baseline, plain, quotas })}\n`);
