import type { AddressInfo } from 'node:net';
import { VERIFY_ERRORS } from '@keysmith/domain';
import type { EntityData } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';

let app: TestApp;
let base: string;
let fx: OrgFixture;
let verifierKey: string;
let ipCounter = 0;

beforeAll(async () => {
  app = await createTestApp({ TRUST_PROXY_HOPS: '1', KEY_MAINTENANCE_PERIOD_MS: '60000' });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  fx = await createOrgFixture(app, { scopes: ['payments:read', 'payments:write'] });
  verifierKey = (await makeKey({ name: 'backend verifier', scopes: ['keys:verify'] })).key;
});
afterAll(() => app.shutdown());

/** A fresh client IP per test, so failed-attempt counting of one test cannot block another. */
function freshIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
}

async function makeKey(input: Record<string, unknown> = {}, patch: EntityData<ApiKey> = {}) {
  const c = await app.caller(fx.owner.cookie);
  const created = await c.key.create({
    orgId: fx.orgId,
    spaceId: fx.spaceId,
    name: `k-${Math.random().toString(36).slice(2)}`,
    ...input,
  });
  if (Object.keys(patch).length > 0) {
    await app.db.orm.em.fork().nativeUpdate(ApiKey, { id: created.record.id }, patch);
    app.services.keyChanges.publish(fx.orgId, created.record.id);
  }
  return created;
}

function call(key: string | null, ip = freshIp(), headers: Record<string, string> = {}) {
  return fetch(`${base}/v1/rate-limit`, {
    headers: {
      'x-forwarded-for': ip,
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...headers,
    },
  });
}

async function verify(body: Record<string, unknown>, ip = freshIp()) {
  const res = await fetch(`${base}/v1/keys/verify`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${verifierKey}`,
      'content-type': 'application/json',
      'x-forwarded-for': ip,
    },
    body: JSON.stringify(body),
  });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

async function expectError(res: Response, code: string) {
  const spec = VERIFY_ERRORS.find((e) => e.code === code);
  const body = (await res.json()) as { error: string; code: string; request_id: string };
  expect({ status: res.status, code: body.code }).toEqual({ status: spec?.status, code });
  if (code !== 'RATE_LIMITED' && code !== 'QUOTA_EXCEEDED') expect(body.error).toBe(spec?.error);
  expect(body.request_id).toMatch(/^req_\w{16}$/);
  return body;
}

describe('§3 verification over HTTP, in order', () => {
  it('1 IP_BLOCKED after 20 failed attempts from one IP, before anything else', async () => {
    const ip = freshIp();
    const { key } = await makeKey();
    for (let i = 0; i < 20; i++) await expectError(await call('sk_live_nope', ip), 'INVALID');
    const blocked = await call(key, ip);
    await expectError(blocked, 'IP_BLOCKED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another IP is not affected.
    expect((await call(key)).status).toBe(200);
    // Blocked attempts are not key usage: no log row for the valid key from that IP.
    await app.services.verification.flush();
  });

  it('2 MISSING when no key is presented', async () => {
    await expectError(await call(null), 'MISSING');
    await expectError(await call(null, freshIp(), { 'x-api-key': '' }), 'MISSING');
  });

  it('3 INVALID for malformed, bad checksum, unknown id and wrong secret', async () => {
    const { key } = await makeKey();
    const flipped = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const otherSecret = (await makeKey()).key;
    const unknownId = key.replace(/_(\w{16})\./, '_0000000000000000.');
    const wrongSecret = `${key.split('.')[0]}.${otherSecret.split('.')[1]}`;
    for (const bad of ['not a key', flipped, unknownId, wrongSecret])
      await expectError(await call(bad), 'INVALID');
  });

  it('4 REVOKED wins over inactive and expired', async () => {
    const { key } = await makeKey(
      {},
      { revokedAt: new Date(), active: false, expiresAt: new Date(Date.now() - 1000) },
    );
    const res = await call(key);
    await expectError(res, 'REVOKED');
    expect(res.headers.get('ratelimit-limit')).toBe('600');
  });

  it('5 INACTIVE wins over expired and the allowlist', async () => {
    const { key } = await makeKey(
      { ipAllowlist: ['10.0.0.1'] },
      { active: false, expiresAt: new Date(Date.now() - 1000) },
    );
    await expectError(await call(key), 'INACTIVE');
  });

  it('6 EXPIRED wins over the allowlist', async () => {
    const { key } = await makeKey({ ipAllowlist: ['10.0.0.1'] }, { expiresAt: new Date(Date.now() - 1000) });
    await expectError(await call(key), 'EXPIRED');
  });

  it('7 IP_NOT_ALLOWED wins over missing scopes', async () => {
    const { key } = await makeKey({ ipAllowlist: ['203.0.113.0/24'] });
    await expectError(await call(key, '192.0.2.1'), 'IP_NOT_ALLOWED');
    expect((await call(key, '203.0.113.9')).status).toBe(200);
    const { body } = await verify({ key, scopes: ['payments:write'], ip: '192.0.2.1' });
    expect(body.code).toBe('IP_NOT_ALLOWED');
  });

  it('8 FORBIDDEN when a required scope is missing', async () => {
    const { key } = await makeKey({ scopes: ['payments:read'] });
    const res = await fetch(`${base}/v1/keys/verify`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'x-forwarded-for': freshIp(),
      },
      body: JSON.stringify({ key }),
    });
    await expectError(res, 'FORBIDDEN');
    expect((await verify({ key, scopes: ['payments:write'] })).body.code).toBe('FORBIDDEN');
    expect((await verify({ key, scopes: ['payments:read'] })).body.code).toBe('VALID');
  });

  it('9 RATE_LIMITED by the key override, with Retry-After and the §3 message', async () => {
    const { key } = await makeKey({ rateLimit: { perSecond: 2, perMinute: 100 }, quotas: { daily: 1 } });
    const first = await call(key);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('100');
    expect(first.headers.get('ratelimit-remaining')).toBe('99');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('99');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    await call(key); // second of the second: over quota, but the quota check comes later
    const third = await call(key);
    const body = await expectError(third, 'RATE_LIMITED');
    expect(body.error).toBe('exceeded the per-second rate limit on your subscription');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('10 QUOTA_EXCEEDED names the first exceeded window', async () => {
    const { key } = await makeKey({ quotas: { daily: 2, monthly: 1 } });
    expect((await call(key)).status).toBe(200);
    const res = await call(key);
    const body = await expectError(res, 'QUOTA_EXCEEDED');
    expect(body.error).toBe('Rate limit exceeded: quota monthly');
    const total = await makeKey({ quotas: { total: 1, daily: 1 } });
    await call(total.key);
    expect((await expectError(await call(total.key), 'QUOTA_EXCEEDED')).error).toBe(
      'Rate limit exceeded: quota total',
    );
  });
});

describe('POST /v1/keys/verify', () => {
  it('answers 200 with the key, its quotas and rate limit, and meters the verified key', async () => {
    const { key, record } = await makeKey({ scopes: ['payments:read'], quotas: { daily: 5 } });
    const { res, body } = await verify({
      key,
      scopes: ['payments:read'],
      cost: 2,
      endpoint: 'GET /charges',
      ip: '192.0.2.44',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('600');
    expect(body).toMatchObject({
      valid: true,
      code: 'VALID',
      key_id: record.id,
      space_id: fx.spaceId,
      environment: 'live',
      scopes: ['payments:read'],
      expires_at: null,
      quotas: { daily: { limit: 5, used: 2, remaining: 3 } },
    });
    expect((await verify({ key, cost: 0, ip: '192.0.2.45' })).body).toMatchObject({
      valid: true,
      quotas: { daily: { used: 2 } },
    });
    expect((await verify({ key, cost: 4 })).body).toMatchObject({
      valid: false,
      code: 'QUOTA_EXCEEDED',
      quotas: { daily: { used: 2 } },
    });
    await app.services.verification.flush();
    const logs: { endpoint: string; ip: string; credits: number; code: string }[] = await app.db.orm.em
      .fork()
      .getConnection()
      .execute('select endpoint, ip, credits, code from request_logs where key_id = ? order by id', [
        record.id,
      ]);
    expect(logs[0]).toEqual({ endpoint: 'GET /charges', ip: '192.0.2.44', credits: 2, code: 'VALID' });
    expect(logs.map((l) => l.code)).toEqual(['VALID', 'VALID', 'QUOTA_EXCEEDED']);
    const row = await app.db.orm.em.fork().findOneOrFail(ApiKey, { id: record.id });
    // The last admitted call (the cost-0 check) sets last use; the refused one does not.
    expect(row.lastUsedIp).toBe('192.0.2.45');
  });

  it('shows the same per-window usage in the admin list and detail', async () => {
    const { key, record } = await makeKey({ quotas: { daily: 5, monthly: 50 } });
    await verify({ key, cost: 2 });
    await verify({ key, cost: 1 });
    await verify({ key, cost: 9 }); // refused: no credits
    const c = await app.caller(fx.owner.cookie);
    const listed = (await c.key.list({ orgId: fx.orgId, search: record.name })).data[0];
    expect(listed?.usage).toEqual({ total: 3, daily: 3, weekly: 3, monthly: 3 });
    expect((await c.key.byId({ orgId: fx.orgId, keyId: record.id })).usage.daily).toBe(3);
    expect((await verify({ key, cost: 0 })).body).toMatchObject({
      quotas: { daily: { used: 3, remaining: 2 } },
    });
  });

  it('treats keys of another organization as invalid', async () => {
    const other = await createOrgFixture(app);
    const c = await app.caller(other.owner.cookie);
    const foreign = await c.key.create({ orgId: other.orgId, spaceId: other.spaceId, name: 'foreign' });
    expect((await verify({ key: foreign.key })).body).toMatchObject({
      valid: false,
      code: 'INVALID',
      key_id: null,
    });
  });

  it('answers 400 with fields, 415 for non-JSON and 413 over 1 MiB', async () => {
    const bad = await verify({ key: 'x', cost: 1001, ip: 'nope' });
    expect(bad.res.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'VALIDATION',
      fields: { cost: expect.any(String), ip: 'Enter an IPv4 or IPv6 address' },
    });
    const headers = { authorization: `Bearer ${verifierKey}`, 'x-forwarded-for': freshIp() };
    const text = await fetch(`${base}/v1/keys/verify`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await fetch(`${base}/v1/keys/verify`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('applies a plan change to rate caps at once', async () => {
    const plan = await createOrgFixture(app);
    const c = await app.caller(plan.owner.cookie);
    const { key } = await c.key.create({ orgId: plan.orgId, spaceId: plan.spaceId, name: 'plan change' });
    expect((await call(key)).headers.get('ratelimit-limit')).toBe('600');
    await c.organization.changePlan({ orgId: plan.orgId, plan: 'enterprise' });
    expect((await call(key)).headers.get('ratelimit-limit')).toBe('3000');
  });

  it('sees a revocation at once', async () => {
    const { key, record } = await makeKey();
    expect((await verify({ key })).body.valid).toBe(true);
    const c = await app.caller(fx.owner.cookie);
    await c.key.revoke({ orgId: fx.orgId, keyId: record.id });
    expect((await verify({ key })).body.code).toBe('REVOKED');
  });
});

describe('one row per verified request (§5)', () => {
  it('logs the verified key’s request once and counts the caller’s own calls per minute instead', async () => {
    const caller = await makeKey({ name: 'counting verifier', scopes: ['keys:verify'] });
    const consumer = await makeKey({ name: 'consumer of the counting verifier' });
    const post = (key: string) =>
      fetch(`${base}/v1/keys/verify`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${caller.key}`,
          'content-type': 'application/json',
          'x-forwarded-for': freshIp(),
        },
        body: JSON.stringify({ key, endpoint: 'GET /tasks', ip: '203.0.113.70' }),
      });
    for (let i = 0; i < 3; i++) expect((await post(consumer.key)).status).toBe(200);
    // Bad checksum: INVALID (a different last character, so a key that ends in `x` is changed too).
    const badChecksum = `${consumer.key.slice(0, -1)}${consumer.key.endsWith('x') ? 'y' : 'x'}`;
    expect((await post(badChecksum)).status).toBe(200);
    await app.services.verification.flush();
    const sql = app.db.orm.em.fork().getConnection();
    const callerRows = await sql.execute('select 1 from request_logs where key_id = ?', [caller.record.id]);
    expect(callerRows).toHaveLength(0);
    const consumerRows = await sql.execute<{ code: string }[]>(
      'select code from request_logs where key_id = ?',
      [consumer.record.id],
    );
    expect(consumerRows.map((r) => r.code)).toEqual(['VALID', 'VALID', 'VALID']);
    const counted = await sql.execute<{ code: string; count: number }[]>(
      'select code, sum(count)::int as count from verify_calls where key_id = ? group by code order by code',
      [caller.record.id],
    );
    expect(counted).toEqual([
      { code: 'INVALID', count: 1 },
      { code: 'VALID', count: 3 },
    ]);
    // Shown in the caller key's usage, and its last use moves.
    const c = await app.caller(fx.owner.cookie);
    const series = await c.usage.keySeries({ orgId: fx.orgId, keyId: caller.record.id, range: '24h' });
    expect(series.verifyCalls).toMatchObject({ calls: 4, byCode: { VALID: 3, INVALID: 1 } });
    expect(series.totals.admitted + series.totals.refused).toBe(0);
    expect(
      (await app.db.orm.em.fork().findOneOrFail(ApiKey, { id: caller.record.id })).lastUsedAt,
    ).toBeInstanceOf(Date);
  });
});
