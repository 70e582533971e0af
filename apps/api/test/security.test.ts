import type { AddressInfo } from 'node:net';
import { checksumBase62, randomBase62 } from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { rejection } from './org-fixtures.js';

let app: TestApp;
let base: string;
let fx: OrgFixture;
let verifierKey: string;
let ipCounter = 0;

beforeAll(async () => {
  app = await createTestApp({ TRUST_PROXY_HOPS: '1' });
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

async function owner() {
  return app.caller(fx.owner.cookie);
}

async function makeKey(input: Record<string, unknown> = {}, org: OrgFixture = fx) {
  const c = await app.caller(org.owner.cookie);
  return c.key.create({
    orgId: org.orgId,
    spaceId: org.spaceId,
    name: `k-${Math.random().toString(36).slice(2)}`,
    ...input,
  });
}

/** `GET /v1/rate-limit` with the key, from `ip` (through one trusted proxy hop). */
function call(key: string, ip: string) {
  return fetch(`${base}/v1/rate-limit`, {
    headers: { 'x-forwarded-for': ip, authorization: `Bearer ${key}` },
  });
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
  return (await res.json()) as { code: string };
}

/** The same key id with another secret and a correct checksum: reaches the secret comparison. */
function wrongSecret(key: string): string {
  const body = `${key.split('.')[0]}.${randomBase62(32)}`;
  return body + checksumBase62(body);
}

async function securityEvents(kind?: 'new_ip' | 'quota_exceeded' | 'ip_blocked' | 'ip_unblocked') {
  await app.services.verification.flush();
  const c = await owner();
  return (await c.security.list({ orgId: fx.orgId, ...(kind ? { kind } : {}), limit: 200 })).items;
}

async function outboxEvents(type: string, orgId = fx.orgId) {
  const rows: { payload: Record<string, unknown> | string }[] = await app.db.orm.em
    .fork()
    .getConnection()
    .execute('select payload from events where organization_id = ? and type = ? order by created_at', [
      orgId,
      type,
    ]);
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}

describe('new IP for a key', () => {
  it('is not raised for the first IP, is raised once for a second one, in the same transaction as key_ips', async () => {
    const { key, record } = await makeKey();
    const [ip1, ip2, ip3] = [freshIp(), freshIp(), freshIp()];
    expect((await call(key, ip1)).status).toBe(200);
    expect((await call(key, ip1)).status).toBe(200);
    expect((await securityEvents('new_ip')).filter((e) => e.keyId === record.id)).toEqual([]);

    expect((await call(key, ip2)).status).toBe(200);
    await call(key, ip1);
    await call(key, ip2);
    const events = (await securityEvents('new_ip')).filter((e) => e.keyId === record.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'new_ip', ip: ip2, keyId: record.id, keyName: record.name });

    // A consumer IP reported through /v1/keys/verify counts as well.
    expect((await verify({ key, ip: ip3 })).code).toBe('VALID');
    const after = (await securityEvents('new_ip')).filter((e) => e.keyId === record.id);
    expect(after.map((e) => e.ip)).toEqual([ip3, ip2]);

    const outbox = (await outboxEvents('key.new_ip')).filter((p) => p.key_id === record.id);
    expect(outbox.map((p) => p.ip)).toEqual([ip2, ip3]);
    expect(outbox[0]).toMatchObject({ key_name: record.name, space_id: fx.spaceId, preview: record.preview });
    const ips: { ip: string }[] = await app.db.orm.em
      .fork()
      .getConnection()
      .execute('select ip from key_ips where key_id = ? order by first_seen_at', [record.id]);
    expect(ips.map((r) => r.ip)).toEqual([ip1, ip2, ip3]);
  });

  it('ignores refused requests', async () => {
    const { key, record } = await makeKey({ ipAllowlist: ['203.0.113.0/24'] });
    expect((await call(key, '203.0.113.5')).status).toBe(200);
    expect((await call(key, freshIp())).status).toBe(403);
    expect((await securityEvents('new_ip')).filter((e) => e.keyId === record.id)).toEqual([]);
  });
});

describe('quota exceeded', () => {
  it('is recorded once per key, window and hour', async () => {
    const { key, record } = await makeKey({ quotas: { daily: 2, weekly: 1 } });
    const ip = freshIp();
    expect((await call(key, ip)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await call(key, ip)).status).toBe(401);
    let events = (await securityEvents('quota_exceeded')).filter((e) => e.keyId === record.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ window: 'weekly', limit: 1 });

    // Another window of the same key is another event.
    const c = await owner();
    await c.key.update({ orgId: fx.orgId, keyId: record.id, patch: { quotas: { daily: 1, weekly: 5 } } });
    for (let i = 0; i < 3; i++) expect((await call(key, ip)).status).toBe(401);
    events = (await securityEvents('quota_exceeded')).filter((e) => e.keyId === record.id);
    expect(events.map((e) => e.details.window)).toEqual(['daily', 'weekly']);

    // Within the hour nothing more; after it, the next refusal is recorded again.
    const monitor = app.services.verification.security;
    const hit = {
      organizationId: fx.orgId,
      keyId: record.id,
      keyName: record.name,
      window: 'daily' as const,
      limit: 1,
      ip,
    };
    monitor.quotaExceeded({ ...hit, at: Date.now() + 30 * 60_000 });
    expect((await securityEvents('quota_exceeded')).filter((e) => e.keyId === record.id)).toHaveLength(2);
    monitor.quotaExceeded({ ...hit, at: Date.now() + 61 * 60_000 });
    expect((await securityEvents('quota_exceeded')).filter((e) => e.keyId === record.id)).toHaveLength(3);

    const outbox = (await outboxEvents('key.quota_exceeded')).filter((p) => p.key_id === record.id);
    expect(outbox.map((p) => p.window)).toEqual(['weekly', 'daily', 'daily']);
    expect(outbox[0]).toMatchObject({ key_name: record.name, space_id: fx.spaceId, limit: 1 });
  });

  it('dedupes across processes through the database, not only in memory', async () => {
    const { record } = await makeKey({ quotas: { total: 1 } });
    const hit = {
      organizationId: fx.orgId,
      keyId: record.id,
      keyName: record.name,
      window: 'total' as const,
      limit: 1,
      ip: null,
      at: Date.now(),
    };
    // Two monitors stand for two API processes sharing the database.
    const { SecurityMonitor } = await import('../src/modules/security/security-monitor.js');
    const policy = { maxFailures: 20, failureWindowMs: 300_000, blockMs: 900_000 };
    const a = new SecurityMonitor(app.db.orm, app.services.log, policy, app.services.metrics);
    const b = new SecurityMonitor(app.db.orm, app.services.log, policy, app.services.metrics);
    a.quotaExceeded(hit);
    b.quotaExceeded({ ...hit, at: hit.at + 1000 });
    await Promise.all([a.flush(), b.flush()]);
    expect((await securityEvents('quota_exceeded')).filter((e) => e.keyId === record.id)).toHaveLength(1);
  });
});

describe('IP blocks', () => {
  it('records a block after 20 failures naming a real key, lists it, and an audited unblock lets the IP in again', async () => {
    const { key, record } = await makeKey();
    const ip = freshIp();
    const bad = wrongSecret(key);
    for (let i = 0; i < 20; i++) expect((await call(bad, ip)).status).toBe(401);
    expect((await call(key, ip)).status).toBe(403);

    const blocked = (await securityEvents('ip_blocked')).filter((e) => e.ip === ip);
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({
      keyId: record.id,
      details: { failures: 20, window_minutes: 5, block_minutes: 15 },
    });
    const outbox = (await outboxEvents('ip.blocked')).filter((p) => p.ip === ip);
    expect(outbox).toEqual([
      expect.objectContaining({ key_id: record.id, space_id: fx.spaceId, failures: 20 }),
    ]);

    const c = await owner();
    const list = await c.security.blockedIps({ orgId: fx.orgId });
    const entry = list.items.find((i) => i.ip === ip);
    expect(entry).toMatchObject({ failures: 20, keyId: record.id });
    expect(Date.parse(entry?.until ?? '')).toBeGreaterThan(Date.now() + 14 * 60_000);

    // Another organization cannot lift (or see) this organization's block.
    const other = await createOrgFixture(app);
    const otherCaller = await app.caller(other.owner.cookie);
    expect((await otherCaller.security.blockedIps({ orgId: other.orgId })).items).toEqual([]);
    expect((await rejection(otherCaller.security.unblockIp({ orgId: other.orgId, ip }))).code).toBe(
      'NOT_FOUND',
    );

    expect(await c.security.unblockIp({ orgId: fx.orgId, ip })).toEqual({ ip, unblocked: true });
    expect((await call(key, ip)).status).toBe(200);
    expect((await c.security.blockedIps({ orgId: fx.orgId })).items.find((i) => i.ip === ip)).toBeUndefined();
    expect((await rejection(c.security.unblockIp({ orgId: fx.orgId, ip }))).code).toBe('NOT_FOUND');

    const unblocked = (await securityEvents('ip_unblocked')).filter((e) => e.ip === ip);
    expect(unblocked).toHaveLength(1);
    expect(unblocked[0]?.details).toMatchObject({ by: fx.owner.email });
    const audit = await c.audit.list({ orgId: fx.orgId, action: 'security.ip_unblock' });
    expect(audit.items).toEqual([
      expect.objectContaining({
        action: 'security.ip_unblock',
        actor: { type: 'user', id: fx.owner.id, label: fx.owner.email },
        target: { type: 'ip', id: null, label: ip },
        after: { blockedUntil: null },
      }),
    ]);
  });

  it('attributes failures reported through /v1/keys/verify to the reporting organization', async () => {
    const consumerIp = '192.0.2.200';
    for (let i = 0; i < 20; i++)
      expect((await verify({ key: 'sk_live_garbage', ip: consumerIp })).code).toBe('INVALID');
    expect((await verify({ key: 'sk_live_garbage', ip: consumerIp })).code).toBe('IP_BLOCKED');
    await app.services.verification.flush();
    const c = await owner();
    const entry = (await c.security.blockedIps({ orgId: fx.orgId })).items.find((i) => i.ip === consumerIp);
    expect(entry).toMatchObject({ keyId: null, failures: 20 });
    expect((await outboxEvents('ip.blocked')).filter((p) => p.ip === consumerIp)).toEqual([
      expect.objectContaining({ key_id: null, space_id: null }),
    ]);
  });

  it('records blocks from made-up keys without an organization, which no tenant sees or lifts', async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) expect((await call('sk_live_nope', ip)).status).toBe(401);
    await app.services.verification.flush();
    const rows: { organization_id: string | null }[] = await app.db.orm.em
      .fork()
      .getConnection()
      .execute(`select organization_id from security_events where kind = 'ip_blocked' and ip = ?`, [ip]);
    expect(rows).toEqual([{ organization_id: null }]);
    const c = await owner();
    expect((await c.security.blockedIps({ orgId: fx.orgId })).items.find((i) => i.ip === ip)).toBeUndefined();
    expect((await rejection(c.security.unblockIp({ orgId: fx.orgId, ip }))).code).toBe('NOT_FOUND');
    await app.services.verification.counters.unblockIp(ip);
  });
});

describe('failed-auth bursts', () => {
  it('counts refused requests of the organization’s keys per IP, most first', async () => {
    const revoked = await makeKey();
    const fenced = await makeKey({ ipAllowlist: ['203.0.113.0/24'] });
    const c = await owner();
    await c.key.revoke({ orgId: fx.orgId, keyId: revoked.record.id });
    const [ipA, ipB] = [freshIp(), freshIp()];
    for (let i = 0; i < 3; i++) expect((await call(revoked.key, ipA)).status).toBe(401);
    expect((await call(fenced.key, ipA)).status).toBe(403);
    for (let i = 0; i < 2; i++) expect((await call(fenced.key, ipB)).status).toBe(403);
    expect((await call(fenced.key, '203.0.113.9')).status).toBe(200);
    // Another organization's failures stay there.
    const other = await createOrgFixture(app);
    const otherKey = await makeKey({}, other);
    await (await app.caller(other.owner.cookie)).key.revoke({
      orgId: other.orgId,
      keyId: otherKey.record.id,
    });
    expect((await call(otherKey.key, ipA)).status).toBe(401);
    await app.services.verification.flush();

    const result = await c.security.failedAuth({ orgId: fx.orgId });
    const mine = result.items.filter((i) => i.ip === ipA || i.ip === ipB);
    expect(mine).toEqual([
      expect.objectContaining({ ip: ipA, failures: 4, keys: 2, codes: { REVOKED: 3, IP_NOT_ALLOWED: 1 } }),
      expect.objectContaining({ ip: ipB, failures: 2, keys: 1, codes: { IP_NOT_ALLOWED: 2 } }),
    ]);
    expect(result.items.find((i) => i.ip === '203.0.113.9')).toBeUndefined();
    const past = await c.security.failedAuth({
      orgId: fx.orgId,
      from: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      to: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(past.items).toEqual([]);
  });
});

describe('security.list', () => {
  it('pages newest first and filters by kind', async () => {
    const c = await owner();
    const all = await c.security.list({ orgId: fx.orgId, limit: 200 });
    expect(all.items.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.security.list({ orgId: fx.orgId, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.id));
    const times = all.items.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const onlyNew = await c.security.list({ orgId: fx.orgId, kind: 'new_ip' });
    expect(onlyNew.items.every((e) => e.kind === 'new_ip')).toBe(true);
    expect((await rejection(c.security.list({ orgId: fx.orgId, cursor: 'bogus' }))).code).toBe('BAD_REQUEST');
  });
});
