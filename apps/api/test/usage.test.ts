import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { addMember, addSpace, createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { rejection } from './org-fixtures.js';

let app: TestApp;
let base: string;
let fx: OrgFixture;
let verifierKey: string;
let ipCounter = 0;

beforeAll(async () => {
  // A flush period longer than any test here: every read must write what it needs itself.
  app = await createTestApp({ TRUST_PROXY_HOPS: '1', FLUSH_PERIOD_MS: '10000' });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  fx = await createOrgFixture(app);
  verifierKey = (await makeKey({ name: 'backend verifier', scopes: ['keys:verify'] })).key;
});
afterAll(() => app.shutdown());

function freshIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
}

async function makeKey(input: Record<string, unknown> = {}, spaceId = fx.spaceId) {
  const c = await app.caller(fx.owner.cookie);
  return c.key.create({
    orgId: fx.orgId,
    spaceId,
    name: `k-${Math.random().toString(36).slice(2)}`,
    ...input,
  });
}

function call(key: string) {
  return fetch(`${base}/v1/rate-limit`, {
    headers: { 'x-forwarded-for': freshIp(), authorization: `Bearer ${key}` },
  });
}

interface WireQuota {
  limit: number;
  used: number;
  remaining: number;
  reset_at: string | null;
}

async function verify(body: Record<string, unknown>) {
  const res = await fetch(`${base}/v1/keys/verify`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${verifierKey}`,
      'content-type': 'application/json',
      'x-forwarded-for': freshIp(),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { code: string; quotas: Record<string, WireQuota> };
}

/** `usage.key`'s windows in the wire shape of `/v1` (`quotas` of verify and of a key's usage). */
function asWire(
  windows: { window: string; limit: number; used: number; remaining: number; nextFreeAt: string | null }[],
): Record<string, WireQuota> {
  return Object.fromEntries(
    windows.map((w) => [
      w.window,
      { limit: w.limit, used: w.used, remaining: w.remaining, reset_at: w.nextFreeAt },
    ]),
  );
}

async function insertLog(keyId: string, spaceId: string, time: Date, code: string, orgId = fx.orgId) {
  await app.db.orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into request_logs (organization_id, space_id, key_id, time, method, endpoint, status, duration_ms, ip, credits, code)
       values (?, ?, ?, ?, 'GET', '/v1/rate-limit', ?, 1, '192.0.2.1', ?, ?)`,
      [orgId, spaceId, keyId, time, code === 'VALID' ? 200 : 401, code === 'VALID' ? 1 : 0, code],
    );
}

describe('usage.key', () => {
  it('reports exactly what /v1/keys/verify reports: used, remaining and reset_at per window', async () => {
    const { key, record } = await makeKey({ quotas: { total: 100, daily: 10, weekly: 20, monthly: 50 } });
    expect((await verify({ key, cost: 3 })).code).toBe('VALID');
    expect((await call(key)).status).toBe(200);
    expect((await verify({ key, cost: 2 })).code).toBe('VALID');
    expect((await verify({ key, cost: 20 })).code).toBe('QUOTA_EXCEEDED');
    const reported = await verify({ key, cost: 0 });
    expect(reported.quotas.daily).toMatchObject({ limit: 10, used: 6, remaining: 4 });

    // No flush here: the procedure includes this process's unflushed credits itself.
    const c = await app.caller(fx.owner.cookie);
    const usage = await c.usage.key({ orgId: fx.orgId, keyId: record.id });
    expect(asWire(usage.windows)).toEqual(reported.quotas);
    expect(usage.windows.map((w) => w.window)).toEqual(['total', 'daily', 'weekly', 'monthly']);
    expect(usage.windows[0]?.nextFreeAt).toBeNull();

    // Once exhausted, both agree that nothing is left.
    expect((await verify({ key, cost: 4 })).code).toBe('VALID');
    const full = await verify({ key, cost: 0 });
    const after = await c.usage.key({ orgId: fx.orgId, keyId: record.id });
    expect(after.windows.find((w) => w.window === 'daily')).toMatchObject({ used: 10, remaining: 0 });
    expect(after.windows.find((w) => w.window === 'daily')?.nextFreeAt).toBe(full.quotas.daily?.reset_at);
  });

  it('agrees with GET /v1/api-keys/{id} right after traffic, with nothing flushed by hand', async () => {
    const { key, record } = await makeKey({ quotas: { daily: 50, weekly: 80, monthly: 200 } });
    const reader = (await makeKey({ name: 'reader', scopes: ['keys:read'] })).key;
    for (let i = 0; i < 4; i++) expect((await call(key)).status).toBe(200);
    expect((await verify({ key, cost: 5 })).code).toBe('VALID');

    // One reader: both answers come from the same place at the same moment.
    const rest = await fetch(`${base}/v1/api-keys/${record.id}`, {
      headers: { authorization: `Bearer ${reader}`, 'x-forwarded-for': freshIp() },
    });
    expect(rest.status).toBe(200);
    const { usage } = (await rest.json()) as {
      usage: { requests_today: number; requests_this_month: number; quotas: Record<string, WireQuota> };
    };
    const c = await app.caller(fx.owner.cookie);
    const admin = await c.usage.key({ orgId: fx.orgId, keyId: record.id });
    expect(usage.quotas).toEqual(asWire(admin.windows));
    expect(usage.quotas.daily).toMatchObject({ limit: 50, used: 9, remaining: 41 });
    // The request counts include this process's rows not yet written when the request came.
    expect(usage.requests_today).toBe(5);
    expect(usage.requests_this_month).toBe(5);
  });

  it('lists no windows for a key without quotas, and hides keys the caller may not see', async () => {
    const { record } = await makeKey();
    const c = await app.caller(fx.owner.cookie);
    expect((await c.usage.key({ orgId: fx.orgId, keyId: record.id })).windows).toEqual([]);
    const outsider = await addMember(app, fx.orgId, 'member');
    const m = await app.caller(outsider.cookie);
    expect((await rejection(m.usage.key({ orgId: fx.orgId, keyId: record.id }))).code).toBe('NOT_FOUND');
    expect(
      (await rejection(m.usage.keySeries({ orgId: fx.orgId, keyId: record.id, range: '24h' }))).code,
    ).toBe('NOT_FOUND');
    expect((await rejection(c.usage.key({ orgId: fx.orgId, keyId: 'key_0000000000000000' }))).code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('usage.keySeries', () => {
  it('counts admitted vs refused per hour and per day, zero-filled', async () => {
    const { key, record } = await makeKey({ quotas: { daily: 3 } });
    for (let i = 0; i < 5; i++) await call(key);
    await app.services.verification.flush();
    const now = Date.now();
    const threeHoursAgo = new Date(now - 3 * 3_600_000);
    const fiveDaysAgo = new Date(now - 5 * 86_400_000);
    await insertLog(record.id, fx.spaceId, threeHoursAgo, 'REVOKED');
    await insertLog(record.id, fx.spaceId, fiveDaysAgo, 'VALID');
    await insertLog(record.id, fx.spaceId, new Date(now - 40 * 86_400_000), 'VALID');

    const c = await app.caller(fx.owner.cookie);
    const day = await c.usage.keySeries({ orgId: fx.orgId, keyId: record.id, range: '24h' });
    expect(day).toMatchObject({ bucket: 'hour', totals: { admitted: 3, refused: 3, credits: 3 } });
    expect(day.points).toHaveLength(24);
    expect(day.points.at(-1)).toMatchObject({ admitted: 3, refused: 2, credits: 3 });
    const hourStart = new Date(Math.floor(threeHoursAgo.getTime() / 3_600_000) * 3_600_000).toISOString();
    expect(day.points.find((p) => p.start === hourStart)).toMatchObject({ admitted: 0, refused: 1 });
    expect(day.points.filter((p) => p.admitted + p.refused > 0)).toHaveLength(2);
    expect(Date.parse(day.to) - Date.parse(day.from)).toBe(24 * 3_600_000);
    expect(Date.parse(day.to)).toBeGreaterThan(now);

    const week = await c.usage.keySeries({ orgId: fx.orgId, keyId: record.id, range: '7d' });
    expect(week.points).toHaveLength(168);
    expect(week.totals).toEqual({ admitted: 4, refused: 3, credits: 4 });

    const month = await c.usage.keySeries({ orgId: fx.orgId, keyId: record.id, range: '30d' });
    expect(month).toMatchObject({ bucket: 'day', totals: { admitted: 4, refused: 3 } });
    expect(month.points).toHaveLength(30);
    expect(month.points.every((p) => p.start.endsWith('T00:00:00.000Z'))).toBe(true);
    const dayStart = new Date(Math.floor(fiveDaysAgo.getTime() / 86_400_000) * 86_400_000).toISOString();
    expect(month.points.find((p) => p.start === dayStart)).toMatchObject({ admitted: 1, refused: 0 });
  });
});

describe('usage.overview', () => {
  it('shows the busiest keys, 24 h totals, plan headroom and key counts, within the caller’s spaces', async () => {
    const org = await createOrgFixture(app);
    const c = await app.caller(org.owner.cookie);
    const otherSpace = await addSpace(app, org.orgId, 'Other space');
    const busy = await c.key.create({ orgId: org.orgId, spaceId: org.spaceId, name: 'busy' });
    const quiet = await c.key.create({ orgId: org.orgId, spaceId: otherSpace, name: 'quiet' });
    await c.key.create({ orgId: org.orgId, spaceId: org.spaceId, name: 'never used' });
    const revoked = await c.key.create({ orgId: org.orgId, spaceId: org.spaceId, name: 'revoked' });
    await c.key.revoke({ orgId: org.orgId, keyId: revoked.record.id });
    await Promise.all(Array.from({ length: 4 }, () => call(busy.key)));
    expect((await call(quiet.key)).status).toBe(200);
    expect((await call(revoked.key)).status).toBe(401);
    await app.services.verification.flush();

    const overview = await c.usage.overview({ orgId: org.orgId });
    expect(overview.plan).toBe('team');
    const rows = overview.busiestKeys.map((k) => [k.name, k.requests, k.admitted, k.refused]);
    // Busiest first; ties in any order.
    expect(rows[0]).toEqual(['busy', 4, 4, 0]);
    expect(rows.slice(1).sort()).toEqual([
      ['quiet', 1, 1, 0],
      ['revoked', 1, 0, 1],
    ]);
    expect(overview.busiestKeys[0]?.space).toMatchObject({ id: org.spaceId, name: 'Payments API' });
    expect(overview.last24h).toEqual({ requests: 6, admitted: 5, refused: 1 });
    expect(overview.headroom.perSecond.cap).toBe(50);
    expect(overview.headroom.perMinute.cap).toBe(600);
    expect(overview.keys).toEqual({ total: 4, active: 3 });

    // Peaks of the last hour: 12 requests in one second, 30 in one minute; older or refused ones do not count.
    const second = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    for (let i = 0; i < 12; i++)
      await insertLog(busy.record.id, org.spaceId, new Date(second + 500), 'VALID', org.orgId);
    const minute = second - 10 * 60_000;
    for (let i = 0; i < 30; i++)
      await insertLog(
        busy.record.id,
        org.spaceId,
        new Date(minute + i * 2000),
        i < 5 ? 'QUOTA_EXCEEDED' : 'VALID',
        org.orgId,
      );
    for (let i = 0; i < 3; i++)
      await insertLog(busy.record.id, org.spaceId, new Date(minute + 500), 'RATE_LIMITED', org.orgId);
    for (let i = 0; i < 40; i++)
      await insertLog(busy.record.id, org.spaceId, new Date(second - 2 * 3_600_000), 'VALID', org.orgId);
    const peaks = (await c.usage.overview({ orgId: org.orgId })).headroom;
    expect(peaks).toEqual({
      perSecond: { cap: 50, peak: 12, headroom: 38 },
      perMinute: { cap: 600, peak: 30, headroom: 570 },
      rateLimited: 3,
    });

    // A viewer of the other space sees only that space's keys and traffic.
    const viewer = await addMember(app, org.orgId, 'member', { spaceId: otherSpace, role: 'viewer' });
    const v = await (await app.caller(viewer.cookie)).usage.overview({ orgId: org.orgId });
    expect(v.busiestKeys.map((k) => k.name)).toEqual(['quiet']);
    expect(v.last24h).toEqual({ requests: 1, admitted: 1, refused: 0 });
    expect(v.headroom.perSecond.peak).toBe(12);
    expect(v.keys).toEqual({ total: 1, active: 1 });
  });

  it('does not count a keys:verify caller’s own calls against the plan caps', async () => {
    const org = await createOrgFixture(app);
    const c = await app.caller(org.owner.cookie);
    const verifier = await c.key.create({
      orgId: org.orgId,
      spaceId: org.spaceId,
      name: 'v',
      scopes: ['keys:verify'],
    });
    const consumer = await c.key.create({ orgId: org.orgId, spaceId: org.spaceId, name: 'consumer' });
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/v1/keys/verify`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${verifier.key}`,
          'content-type': 'application/json',
          'x-forwarded-for': freshIp(),
        },
        body: JSON.stringify({ key: consumer.key }),
      });
      expect(res.status).toBe(200);
    }
    await app.services.verification.flush();
    const conn = app.db.orm.em.fork().getConnection();
    // §5: the caller's own calls are per-minute aggregates, not request-log rows.
    const own: { n: number | string }[] = await conn.execute(
      `select coalesce(sum(count), 0) as n from verify_calls where organization_id = ? and key_id = ?`,
      [org.orgId, verifier.record.id],
    );
    expect(Number(own[0]?.n)).toBe(3);
    const logged: { n: number | string }[] = await conn.execute(
      `select count(*) as n from request_logs where organization_id = ? and key_id = ?`,
      [org.orgId, verifier.record.id],
    );
    expect(Number(logged[0]?.n)).toBe(0);
    const overview = await c.usage.overview({ orgId: org.orgId });
    // Only the three verified-key rows count; the caller's calls are neither requests nor rate-limited.
    expect(overview.last24h.requests).toBe(3);
    expect(overview.headroom.perMinute.peak).toBeGreaterThanOrEqual(1);
    expect(overview.headroom.perMinute.peak).toBeLessThanOrEqual(3);
  });
});
