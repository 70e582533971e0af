import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverCounters } from '../src/verify/failover-counters.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { redisUrlWithDb } from './multi-process-cluster.js';

/**
 * The §3 checks that depend on counters, over HTTP, with the Redis counters (REDIS_URL): rate
 * limits with their headers, quotas with their messages and bodies, IP blocks. The same rows on
 * the in-memory counters are in rest-verify.test.ts.
 */
const redisBase = process.env.TEST_REDIS_URL;
if (!redisBase)
  console.warn('verify-rest-redis: skipped: TEST_REDIS_URL is not set (source .ci/lib.sh && ks_start_redis)');

let app: TestApp;
let base: string;
let fx: OrgFixture;
let verifierKey: string;
let ip = 0;
const freshIp = () => `198.51.100.${++ip}`;

async function makeKey(input: Record<string, unknown> = {}) {
  const c = await app.caller(fx.owner.cookie);
  return c.key.create({
    orgId: fx.orgId,
    spaceId: fx.spaceId,
    name: `k-${randomBytes(4).toString('hex')}`,
    ...input,
  });
}

function call(key: string, from = freshIp()) {
  return fetch(`${base}/v1/rate-limit`, {
    headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': from },
  });
}

describe.skipIf(!redisBase)('§3 over HTTP on the Redis counters (skipped without TEST_REDIS_URL)', () => {
  beforeAll(async () => {
    app = await createTestApp({
      REDIS_URL: redisUrlWithDb(redisBase ?? '', 12),
      REDIS_KEY_PREFIX: `rr${randomBytes(3).toString('hex')}`,
      TRUST_PROXY_HOPS: '1',
      KEY_MAINTENANCE_PERIOD_MS: '60000',
    });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    fx = await createOrgFixture(app, { scopes: ['payments:read'] });
    verifierKey = (await makeKey({ scopes: ['keys:verify'] })).key;
    expect(app.services.verification.counters).toBeInstanceOf(FailoverCounters);
  });
  afterAll(() => app?.shutdown());

  it('rate limits by the key override, with the headers and Retry-After', async () => {
    const { key } = await makeKey({ rateLimit: { perSecond: 2, perMinute: 100 } });
    const first = await call(key);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('100');
    expect(first.headers.get('ratelimit-remaining')).toBe('99');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('99');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect((await call(key)).status).toBe(200);
    const third = await call(key);
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({
      code: 'RATE_LIMITED',
      error: 'exceeded the per-second rate limit on your subscription',
    });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('quotas: the first exceeded window, and the windows in /v1/keys/verify', async () => {
    const { key } = await makeKey({ quotas: { daily: 2, monthly: 1 } });
    expect((await call(key)).status).toBe(200);
    const refused = await call(key);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      error: 'Rate limit exceeded: quota monthly',
    });

    const metered = await makeKey({ scopes: ['payments:read'], quotas: { daily: 5 } });
    const verify = async (body: Record<string, unknown>) => {
      const res = await fetch(`${base}/v1/keys/verify`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${verifierKey}`,
          'content-type': 'application/json',
          'x-forwarded-for': freshIp(),
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    expect(await verify({ key: metered.key, cost: 2 })).toMatchObject({
      valid: true,
      quotas: { daily: { limit: 5, used: 2, remaining: 3 } },
    });
    expect(await verify({ key: metered.key, cost: 4 })).toMatchObject({
      valid: false,
      code: 'QUOTA_EXCEEDED',
      quotas: { daily: { used: 2 } },
    });
    const ok = await verify({ key: metered.key, cost: 3 });
    expect(ok).toMatchObject({ valid: true, quotas: { daily: { used: 5, remaining: 0 } } });
    expect(Date.parse(String((ok.quotas as { daily: { reset_at: string } }).daily.reset_at))).toBeGreaterThan(
      Date.now() + 86_000_000,
    );
  });

  it('counts usage from a time the key had no quota when a quota is set again', async () => {
    const { key, record } = await makeKey({ quotas: { daily: 5 } });
    const c = await app.caller(fx.owner.cookie);
    const codes = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await call(key)).status);
      return out;
    };
    expect(await codes(3)).toEqual([200, 200, 200]);
    await c.key.update({ orgId: fx.orgId, keyId: record.id, patch: { quotas: { daily: null } } });
    expect(await codes(4)).toEqual([200, 200, 200, 200]);
    await c.key.update({ orgId: fx.orgId, keyId: record.id, patch: { quotas: { daily: 10 } } });
    expect(await codes(5)).toEqual([200, 200, 200, 401, 401]);
  });

  it('blocks an IP after 20 failed attempts, before anything else', async () => {
    const from = freshIp();
    const { key } = await makeKey();
    for (let i = 0; i < 20; i++) expect((await call('sk_live_nope', from)).status).toBe(401);
    const blocked = await call(key, from);
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toMatchObject({ code: 'IP_BLOCKED' });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await call(key)).status).toBe(200);
    await app.services.verification.counters.unblockIp(from);
    expect((await call(key, from)).status).toBe(200);
  });
});
