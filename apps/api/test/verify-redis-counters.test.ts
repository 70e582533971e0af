import { randomBytes } from 'node:crypto';
import type { QuotaLimits, RateLimitCaps } from '@keysmith/domain';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpBlockPolicy, QuotaCheck } from '../src/verify/counters.js';
import { MemoryCounters } from '../src/verify/memory-counters.js';
import { RedisCounters } from '../src/verify/redis-counters.js';
import type { PersistedUsage } from '../src/verify/usage-buckets.js';

/**
 * RedisCounters against the in-process reference (MemoryCounters): same decisions, field by
 * field, on random traffic; plus what only a shared store must get right (concurrency across
 * connections, seeding once, re-synchronising, replay). Needs a real redis-server.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const why = 'TEST_REDIS_URL is not set (start one with `source .ci/lib.sh && ks_start_redis`)';
if (!redisUrl) console.warn(`verify-redis-counters: skipped: ${why}`);

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = 1_700_000_000_000;
/** An hour boundary (and so a minute boundary). */
const T0_HOUR = 1_700_002_800_000;
const ipPolicy: IpBlockPolicy = { maxFailures: 20, failureWindowMs: 5 * MIN, blockMs: 15 * MIN };
const EMPTY: PersistedUsage = { minute: [], hour: [], total: 0 };

const prefix = `kst${randomBytes(4).toString('hex')}`;
let connections: Redis[] = [];
let seq = 0;
const unique = (tag: string) => `${tag}_${(++seq).toString(36)}${randomBytes(3).toString('hex')}`;

function connect(): Redis {
  const redis = new Redis(redisUrl ?? '', { maxRetriesPerRequest: 1 });
  connections.push(redis);
  return redis;
}

function redisCounters(
  loadUsage: (keyId: string, now: number) => Promise<PersistedUsage> = async () => EMPTY,
) {
  return new RedisCounters(connect(), { prefix, ipPolicy, loadUsage });
}

describe.skipIf(!redisUrl)(`RedisCounters (real redis-server; skipped without TEST_REDIS_URL)`, () => {
  beforeAll(() => {
    connections = [];
  });
  afterAll(async () => {
    const redis = connections[0] ?? connect();
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (found.length > 0) await redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
    await Promise.all(connections.map((c) => c.quit()));
  });

  describe('rate limits', () => {
    const capsArb = fc.record({
      perSecond: fc.integer({ min: 1, max: 6 }),
      perMinute: fc.integer({ min: 1, max: 30 }),
    });
    const arrivalsArb = fc
      .array(
        fc.record({
          gap: fc.oneof(
            fc.constant(0),
            fc.integer({ min: 1, max: 60 }),
            fc.integer({ min: 900, max: 1100 }),
            fc.integer({ min: 2000, max: 70_000 }),
          ),
          peek: fc.boolean().map((b) => b && Math.random() < 0.3),
        }),
        { maxLength: 80 },
      )
      .map((steps) => {
        let t = T0;
        return steps.map((s) => {
          t += s.gap;
          return { t, peek: s.peek };
        });
      });

    it('decides exactly like MemoryCounters (admitted, remaining, resets, Retry-After, window)', async () => {
      const redis = redisCounters();
      await fc.assert(
        fc.asyncProperty(
          capsArb,
          fc.option(capsArb, { nil: null }),
          arrivalsArb,
          async (plan, keyCaps, steps) => {
            const memory = new MemoryCounters(async () => EMPTY, ipPolicy);
            const organizationId = unique('org');
            const keyId = unique('key');
            for (const step of steps) {
              const check = { organizationId, planCaps: plan, keyId, keyCaps, now: step.t };
              if (step.peek) {
                expect(await redis.peekRate(check)).toEqual(await memory.peekRate(check));
              } else {
                expect(await redis.admitRate(check)).toEqual(await memory.admitRate(check));
              }
            }
          },
        ),
        { numRuns: 60 },
      );
    });

    it('records in both the organization and the key log, or in neither', async () => {
      const redis = redisCounters();
      const organizationId = unique('org');
      const planCaps: RateLimitCaps = { perSecond: 5, perMinute: 100 };
      const strict: RateLimitCaps = { perSecond: 1, perMinute: 100 };
      const check = (keyId: string, keyCaps: RateLimitCaps | null, now: number) => ({
        organizationId,
        planCaps,
        keyId,
        keyCaps,
        now,
      });
      expect((await redis.admitRate(check('a', strict, T0))).admitted).toBe(true);
      expect(await redis.admitRate(check('a', strict, T0 + 1))).toMatchObject({
        admitted: false,
        exceeded: 'second',
        retryAfterMs: 999,
      });
      // The refused request did not spend the organization's budget: 4 more fit.
      for (let i = 0; i < 4; i++)
        expect((await redis.admitRate(check('b', null, T0 + 2))).admitted).toBe(true);
      expect((await redis.admitRate(check('b', null, T0 + 2))).admitted).toBe(false);
    });

    it('admits exactly the cap under concurrency from several connections', async () => {
      const counters = [redisCounters(), redisCounters(), redisCounters()];
      const organizationId = unique('org');
      const now = Date.now();
      const results = await Promise.all(
        Array.from({ length: 600 }, (_, i) =>
          (counters[i % 3] as RedisCounters).admitRate({
            organizationId,
            planCaps: { perSecond: 50, perMinute: 600 },
            keyId: `key${i % 7}`,
            keyCaps: null,
            now: now + (i % 5),
          }),
        ),
      );
      expect(results.filter((r) => r.admitted)).toHaveLength(50);
    });

    it('is safe when requests reach Redis out of timestamp order', async () => {
      const redis = redisCounters();
      const organizationId = unique('org');
      const caps = { perSecond: 1, perMinute: 10 };
      const at = (now: number) =>
        redis.admitRate({ organizationId, planCaps: caps, keyId: 'k', keyCaps: null, now });
      expect((await at(T0 + 1005)).admitted).toBe(true);
      // Processed later with an earlier timestamp: the span (T0 + 5, T0 + 1005] would hold both.
      expect((await at(T0 + 1000)).admitted).toBe(false);
      expect((await at(T0 + 2005)).admitted).toBe(true);
    });
  });

  describe('quotas', () => {
    const limitArb = fc.option(fc.integer({ min: 1, max: 40 }), { nil: null });
    const quotasArb = fc.record({ total: limitArb, daily: limitArb, weekly: limitArb, monthly: limitArb });
    /** Persisted buckets inside their windows at T0 (minute buckets for daily, hour for weekly/monthly). */
    const persistedArb = fc.record({
      minute: fc.array(
        fc.record({ k: fc.integer({ min: 0, max: 1440 }), credits: fc.integer({ min: 1, max: 5 }) }),
        {
          maxLength: 8,
        },
      ),
      hour: fc.array(
        fc.record({ k: fc.integer({ min: 0, max: 720 }), credits: fc.integer({ min: 1, max: 5 }) }),
        {
          maxLength: 8,
        },
      ),
      extraTotal: fc.integer({ min: 0, max: 10 }),
    });
    const stepArb = fc.record({
      advance: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 90 }).map((k) => k * MIN), // keeps minute (and hour) alignment
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: MIN - 1000, max: MIN + 1000 }),
        fc.integer({ min: 1, max: 3 * HOUR }),
        fc.constantFrom(DAY - MIN, DAY, DAY + MIN, 7 * DAY, 30 * DAY, 31 * DAY),
      ),
      cost: fc.integer({ min: 0, max: 6 }),
      peek: fc.boolean().map((b) => b && Math.random() < 0.25),
    });

    it('decides exactly like MemoryCounters, windows and all, from a persisted start', async () => {
      await fc.assert(
        fc.asyncProperty(
          quotasArb,
          persistedArb,
          fc.array(stepArb, { minLength: 1, maxLength: 40 }),
          // Start on, just before, or off an hour boundary: windows then end exactly on bucket edges.
          fc.constantFrom(T0, T0_HOUR, T0_HOUR - 1, T0_HOUR + 1),
          async (quotas, seed, steps, start) => {
            const minuteStart = Math.floor(start / MIN) * MIN;
            const hourStart = Math.floor(start / HOUR) * HOUR;
            const merge = (list: { start: number; credits: number }[]) => {
              const m = new Map<number, number>();
              for (const b of list) m.set(b.start, (m.get(b.start) ?? 0) + b.credits);
              return [...m].map(([start, credits]) => ({ start, credits }));
            };
            const minute = merge(
              seed.minute.map((b) => ({ start: minuteStart - b.k * MIN, credits: b.credits })),
            );
            const hour = merge(seed.hour.map((b) => ({ start: hourStart - b.k * HOUR, credits: b.credits })));
            const persisted: PersistedUsage = {
              minute,
              hour,
              total: minute.reduce((s, b) => s + b.credits, 0) + seed.extraTotal,
            };
            const load = async () => persisted;
            const memory = new MemoryCounters(load, ipPolicy);
            const redis = redisCounters(load);
            const organizationId = unique('org');
            const keyId = unique('key');
            let now = start;
            for (const step of steps) {
              now += step.advance;
              const check: QuotaCheck = { organizationId, keyId, quotas, cost: step.cost, now };
              if (step.peek) expect(await redis.peekQuota(check)).toEqual(await memory.peekQuota(check));
              else expect(await redis.consumeQuota(check)).toEqual(await memory.consumeQuota(check));
            }
          },
        ),
        { numRuns: 120 },
      );
    });

    it('frees a bucket exactly when the domain rule says, at each window edge', async () => {
      const memory = new MemoryCounters(async () => EMPTY, ipPolicy);
      const redis = redisCounters();
      const organizationId = unique('org');
      const keyId = unique('key');
      const quotas = { daily: 100, weekly: 100, monthly: 100 };
      const at = (now: number, cost: number): QuotaCheck => ({ organizationId, keyId, quotas, cost, now });
      for (const t of [T0_HOUR, T0_HOUR + MIN, T0_HOUR + HOUR]) {
        expect(await redis.consumeQuota(at(t, 1))).toEqual(await memory.consumeQuota(at(t, 1)));
      }
      const edges = [
        DAY + MIN,
        DAY + 2 * MIN,
        DAY + HOUR + MIN,
        7 * DAY + HOUR,
        7 * DAY + 2 * HOUR,
        30 * DAY + HOUR,
      ];
      for (const edge of edges) {
        for (const delta of [-1, 0]) {
          const now = T0_HOUR + edge + delta;
          expect(await redis.peekQuota(at(now, 0))).toEqual(await memory.peekQuota(at(now, 0)));
        }
      }
    });

    it('admits exactly the quota under 1,000 concurrent requests from three connections', async () => {
      const counters = [redisCounters(), redisCounters(), redisCounters()];
      const organizationId = unique('org');
      const keyId = unique('key');
      const now = Date.now();
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          (counters[i % 3] as RedisCounters).consumeQuota({
            organizationId,
            keyId,
            quotas: { daily: 100, monthly: 1000 },
            cost: 1,
            now: now + (i % 13),
          }),
        ),
      );
      expect(results.filter((r) => r.admitted)).toHaveLength(100);
      expect(results.filter((r) => !r.admitted).every((r) => r.exceeded === 'daily')).toBe(true);
      const peek = await (counters[0] as RedisCounters).peekQuota({
        organizationId,
        keyId,
        quotas: { daily: 100 },
        cost: 0,
        now: now + 20,
      });
      expect(peek.windows.daily).toMatchObject({ used: 100, remaining: 0 });
    });

    it('seeds a key once from PostgreSQL even when processes race, and charges nothing before', async () => {
      let loads = 0;
      const slowLoad = async (): Promise<PersistedUsage> => {
        loads++;
        await new Promise((r) => setTimeout(r, 30));
        return { minute: [{ start: Math.floor(T0 / MIN) * MIN, credits: 40 }], hour: [], total: 40 };
      };
      const counters = [redisCounters(slowLoad), redisCounters(slowLoad)];
      const organizationId = unique('org');
      const keyId = unique('key');
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (counters[i % 2] as RedisCounters).consumeQuota({
            organizationId,
            keyId,
            quotas: { daily: 50, total: 1000 },
            cost: 1,
            now: T0 + 1000,
          }),
        ),
      );
      expect(results.filter((r) => r.admitted)).toHaveLength(10);
      // One load per process at most (concurrent misses share it); the second sync is a no-op.
      expect(loads).toBeLessThanOrEqual(2);
    });

    it('re-synchronises when the quota configuration changes, keeping the larger count per bucket', async () => {
      const bucket = Math.floor(T0 / MIN) * MIN;
      let persisted: PersistedUsage = EMPTY;
      const counters = redisCounters(async () => persisted);
      const organizationId = unique('org');
      const keyId = unique('key');
      const check = (quotas: QuotaLimits, cost = 1): QuotaCheck => ({
        organizationId,
        keyId,
        quotas,
        cost,
        now: T0 + 10,
      });
      for (let i = 0; i < 5; i++)
        expect((await counters.consumeQuota(check({ daily: 10 }))).admitted).toBe(true);
      // Meanwhile (e.g. while the key had no quota) PostgreSQL recorded more in the same bucket.
      persisted = {
        minute: [{ start: bucket, credits: 8 }],
        hour: [{ start: Math.floor(T0 / HOUR) * HOUR, credits: 8 }],
        total: 8,
      };
      const after = await counters.peekQuota(check({ daily: 20, weekly: 100 }, 0));
      expect(after.windows.daily?.used).toBe(8);
      expect(after.windows.weekly?.used).toBe(8);
    });

    it('replays credits charged in PostgreSQL during an outage, unless the seed already holds them', async () => {
      const counters = redisCounters();
      const organizationId = unique('org');
      const keyId = unique('key');
      const quotas = { daily: 10 };
      const now = Date.now();
      await counters.consumeQuota({ organizationId, keyId, quotas, cost: 2, now });
      const seededAt = Number(await connect().hget(counters.quotaKeys(organizationId, keyId)[0], 'seed'));
      expect(
        await counters.replay({ organizationId, keyId, t: now, cost: 3, committedAt: seededAt - 1 }),
      ).toBe(false);
      expect(
        await counters.replay({ organizationId, keyId, t: now, cost: 3, committedAt: seededAt + 1 }),
      ).toBe(true);
      const peek = await counters.peekQuota({ organizationId, keyId, quotas, cost: 0, now });
      expect(peek.windows.daily?.used).toBe(5);
      // No state at all: nothing to replay into (the next seed reads PostgreSQL).
      expect(
        await counters.replay({ organizationId, keyId: unique('key'), t: now, cost: 1, committedAt: now }),
      ).toBe(false);
    });
  });

  describe('failed attempts and IP blocks', () => {
    it('blocks an IP after 20 failures counted across processes, for 15 minutes', async () => {
      const [a, b] = [redisCounters(), redisCounters()];
      const ip = `198.18.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;
      await a.unblockIp(ip);
      for (let i = 0; i < 19; i++) expect(await (i % 2 ? a : b).recordAuthFailure(ip, T0 + i)).toBeNull();
      expect(await a.ipBlockedUntil(ip, T0 + 19)).toBeNull();
      const until = await b.recordAuthFailure(ip, T0 + 19);
      expect(until).toBe(T0 + 19 + 15 * MIN);
      expect(await a.ipBlockedUntil(ip, T0 + 20)).toBe(until);
      await a.unblockIp(ip);
      expect(await b.ipBlockedUntil(ip, T0 + 21)).toBeNull();
    });

    it('with a status cache, sees another process’s block within the cache time, its own at once', async () => {
      const cached = () =>
        new RedisCounters(connect(), {
          prefix,
          ipPolicy,
          loadUsage: async () => EMPTY,
          ipStatusCacheMs: 500,
        });
      const [a, b] = [cached(), cached()];
      const ip = `198.19.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;
      await a.unblockIp(ip);
      expect(await a.ipBlockedUntil(ip, T0)).toBeNull(); // a caches "not blocked" at T0
      let until: number | null = null;
      for (let i = 0; i < 20; i++) until = await b.recordAuthFailure(ip, T0 + i);
      expect(until).not.toBeNull();
      expect(await b.ipBlockedUntil(ip, T0 + 20)).toBe(until); // the blocking process: at once
      expect(await a.ipBlockedUntil(ip, T0 + 499)).toBeNull(); // the other: from its cache …
      expect(await a.ipBlockedUntil(ip, T0 + 500)).toBe(until); // … for at most 500 ms
      await a.unblockIp(ip);
      expect(await a.ipBlockedUntil(ip, T0 + 501)).toBeNull();
    });

    it('forgets failures older than the window', async () => {
      const redis = redisCounters();
      const ip = `2001:db8::${randomBytes(2).toString('hex')}`;
      for (let i = 0; i < 19; i++) await redis.recordAuthFailure(ip, T0 + i);
      expect(await redis.recordAuthFailure(ip, T0 + 5 * MIN + 5)).toBeNull();
      await redis.unblockIp(ip);
    });
  });
});
