import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverCounters } from '../src/verify/failover-counters.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { hasRedisServer, PrivateRedis } from './private-redis.js';

/**
 * The Redis fault policy (docs/decisions/0007-redis-fault-policy.md) against a private
 * redis-server that the test kills, restarts and pauses: quotas stay exact through the
 * PostgreSQL fallback, and the shared counts are exact again once Redis is back. Runs with the
 * Redis tests (TEST_REDIS_URL set, so redis-server is installed); on PGlite or PostgreSQL.
 */
const skipReason = !process.env.TEST_REDIS_URL
  ? 'TEST_REDIS_URL is not set (source .ci/lib.sh && ks_start_redis)'
  : !hasRedisServer
    ? 'redis-server is not on PATH'
    : null;
if (skipReason) console.warn(`verify-redis-failover: skipped: ${skipReason}`);

let redisServer: PrivateRedis;
let app: TestApp;
let base: string;
let fx: OrgFixture;
const startRedis = () => redisServer.start();
const killRedis = () => redisServer.kill();

function counters(): FailoverCounters {
  const c = app.services.verification.counters;
  if (!(c instanceof FailoverCounters)) throw new Error('expected FailoverCounters with REDIS_URL');
  return c;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function call(key: string): Promise<string> {
  const res = await fetch(`${base}/v1/rate-limit`, { headers: { authorization: `Bearer ${key}` } });
  const body = (await res.json()) as { code?: string };
  return res.status === 200 ? 'VALID' : (body.code ?? String(res.status));
}

function tally(codes: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of codes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

async function persistedTotal(keyId: string): Promise<number> {
  await app.services.verification.flush();
  const rows: { credits: string }[] = await app.db.orm.em
    .fork()
    .getConnection()
    .execute(
      `select coalesce(sum(credits), 0)::text as credits from usage_buckets where key_id = ? and granularity = 'total'`,
      [keyId],
    );
  return Number(rows[0]?.credits);
}

async function redisTotal(orgId: string, keyId: string): Promise<number> {
  const r = new Redis({ port: redisServer.port, host: '127.0.0.1' });
  r.on('error', () => undefined);
  try {
    return Number(await r.hget(`ks:{${orgId}}:q:${keyId}`, 't'));
  } finally {
    r.disconnect();
  }
}

describe.skipIf(skipReason !== null)('Redis faults: fallbacks keep quotas exact', () => {
  beforeAll(async () => {
    redisServer = await PrivateRedis.create();
    await startRedis();
    app = await createTestApp({
      REDIS_URL: redisServer.url,
      REDIS_COMMAND_TIMEOUT_MS: '100',
      FLUSH_PERIOD_MS: '100',
      KEY_MAINTENANCE_PERIOD_MS: '60000',
    });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    fx = await createOrgFixture(app, { plan: 'enterprise' });
  }, 60_000);

  afterAll(async () => {
    await app?.shutdown();
    await redisServer?.kill();
  });

  async function makeKey(quotas: Record<string, number>) {
    const c = await app.caller(fx.owner.cookie);
    return c.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: `k-${Math.random().toString(36).slice(2)}`,
      quotas,
    });
  }

  it('Redis killed: 30 concurrent requests on a daily quota of 10 → exactly 10 admitted, via PostgreSQL', async () => {
    const { key, record } = await makeKey({ daily: 10 });
    expect(tally(await Promise.all([call(key), call(key), call(key)]))).toEqual({ VALID: 3 });
    expect(counters().degraded).toBe(false);

    await killRedis();
    const started = performance.now();
    const codes = await Promise.all(Array.from({ length: 30 }, () => call(key)));
    const tookMs = performance.now() - started;
    expect(counters().degraded).toBe(true);
    expect(tally(codes)).toEqual({ VALID: 7, QUOTA_EXCEEDED: 23 });
    expect(await persistedTotal(record.id)).toBe(10);
    console.info(
      `[failover] 30 requests with Redis down answered in ${tookMs.toFixed(0)} ms (incl. the grace wait)`,
    );

    // Redis comes back empty: the key is seeded from PostgreSQL, still 10 used.
    await startRedis();
    await until(() => !counters().degraded);
    expect(tally(await Promise.all(Array.from({ length: 5 }, () => call(key))))).toEqual({
      QUOTA_EXCEEDED: 5,
    });
    expect(await redisTotal(fx.orgId, record.id)).toBe(10);
  }, 60_000);

  it('Redis paused (commands time out): credits charged in PostgreSQL are replayed into Redis when it answers again', async () => {
    const { key, record } = await makeKey({ daily: 10 });
    expect(tally(await Promise.all(Array.from({ length: 4 }, () => call(key))))).toEqual({ VALID: 4 });

    const admin = new Redis({ port: redisServer.port, host: '127.0.0.1' });
    admin.on('error', () => undefined);
    await admin.client('PAUSE', 2000, 'ALL');
    const during: string[] = [];
    for (let i = 0; i < 3; i++) during.push(await call(key));
    expect(during).toEqual(['VALID', 'VALID', 'VALID']);
    expect(counters().degraded).toBe(true);

    await until(() => !counters().degraded);
    admin.disconnect();
    // Redis kept its state (4) and got the 3 charged meanwhile: 3 more fit, then no more.
    expect(await redisTotal(fx.orgId, record.id)).toBe(7);
    expect(tally(await Promise.all(Array.from({ length: 10 }, () => call(key))))).toEqual({
      VALID: 3,
      QUOTA_EXCEEDED: 7,
    });
    expect(await persistedTotal(record.id)).toBe(10);
    expect(await redisTotal(fx.orgId, record.id)).toBe(10);
  }, 60_000);

  it('rate limits and IP blocks keep working per process while Redis is down', async () => {
    const { key } = await makeKey({ daily: 1000 });
    await killRedis();
    expect(await call(key)).toBe('VALID');
    expect(counters().degraded).toBe(true);
    for (let i = 0; i < 20; i++) expect(await call('sk_live_nope')).toBe('INVALID');
    expect(await call(key)).toBe('IP_BLOCKED');
    await app.services.verification.counters.unblockIp('127.0.0.1');
    await startRedis();
    await until(() => !counters().degraded);
    expect(await call(key)).toBe('VALID');
  }, 60_000);
});
