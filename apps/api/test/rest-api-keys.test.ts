import type { AddressInfo } from 'node:net';
import { KEYSMITH_KEY_PATTERN, redactApiKey } from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS_NOT_IN_PLAN } from '../src/modules/api-key/key-access.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { createTestApp, type TestApp } from './harness.js';
import { addSpace, createOrgFixture, type OrgFixture } from './key-fixtures.js';

let app: TestApp;
let base: string;
let fx: OrgFixture;
let otherSpaceId: string;
let ipCounter = 0;

/** Keys of the main organization, by role in these tests. */
const keys = { manager: '', reader: '', writer: '', admin: '' };
const ids = { manager: '', otherSpaceKey: '', foreignKey: '' };
/** Every full key seen in a create or roll answer: none may appear in any other answer. */
const issued: string[] = [];

/** A fresh client IP per request, so failed-attempt counting never blocks a later test. */
function freshIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter % 250}`;
}

async function makeKey(
  fixture: OrgFixture,
  input: { name?: string; scopes?: string[]; spaceId?: string } = {},
): Promise<{ key: string; id: string }> {
  const c = await app.caller(fixture.owner.cookie);
  const created = await c.key.create({
    orgId: fixture.orgId,
    spaceId: input.spaceId ?? fixture.spaceId,
    name: input.name ?? `setup-${Math.random().toString(36).slice(2)}`,
    scopes: input.scopes ?? [],
  });
  return { key: created.key, id: created.record.id };
}

type Json = Record<string, unknown> & {
  code?: string;
  error?: string;
  fields?: Record<string, string>;
};

interface Answer {
  res: Response;
  status: number;
  body: Json;
  text: string;
}

async function api(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'x-forwarded-for': freshIp(), ...options.headers };
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? keys.manager}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as Json;
  if (typeof body.key === 'string') issued.push(body.key);
  return { res, status: res.status, body, text };
}

function expectRefusal(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  expect(answer.body.request_id).toMatch(/^req_\w{16}$/);
  expect(typeof answer.body.error).toBe('string');
}

/** Waits for the batched request-log writer, as a client would wait about a second. */
function flushLogs(): Promise<void> {
  return app.services.verification.flush();
}

beforeAll(async () => {
  app = await createTestApp({ TRUST_PROXY_HOPS: '1', KEY_MAINTENANCE_PERIOD_MS: '60000' });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  // Enterprise: the org-wide rate limit (200/s) stays far above what these tests send.
  fx = await createOrgFixture(app, {
    plan: 'enterprise',
    scopes: ['payments:read', 'payments:write', 'admin:*'],
  });
  otherSpaceId = await addSpace(app, fx.orgId, 'Search API', ['search:read']);
  const manager = await makeKey(fx, {
    name: 'manager',
    // A key grants only scopes it holds (§4): the manager issues payments keys, so it holds them.
    scopes: ['keys:read', 'keys:write', 'keys:delete', 'payments:read', 'payments:write'],
  });
  keys.manager = manager.key;
  ids.manager = manager.id;
  keys.reader = (await makeKey(fx, { name: 'reader', scopes: ['keys:read'] })).key;
  keys.writer = (await makeKey(fx, { name: 'writer', scopes: ['keys:read', 'keys:write'] })).key;
  keys.admin = (await makeKey(fx, { name: 'root', scopes: ['admin:*'] })).key;
  ids.otherSpaceKey = (await makeKey(fx, { name: 'search key', spaceId: otherSpaceId })).id;
  const foreign = await createOrgFixture(app, { plan: 'enterprise' });
  ids.foreignKey = (await makeKey(foreign, { name: 'foreign' })).id;
});
afterAll(() => app.shutdown());

describe('POST /v1/api-keys', () => {
  it('creates a key in the caller space and shows the full key once, flat beside the record', async () => {
    const created = await api('POST', '/api-keys', {
      body: {
        name: 'Billing backend',
        description: 'charges',
        scopes: ['payments:read', 'payments:write'],
        expires_at: '2060-01-01T00:00:00Z',
        quotas: { daily: 100, monthly: 1000 },
        rate_limit: { per_second: 5, per_minute: 100 },
        ip_allowlist: ['203.0.113.0/24'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.res.headers.get('ratelimit-limit')).toBe('3000');
    expect(created.res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(created.res.headers.get('cache-control')).toBe('no-store');
    const key = created.body.key as string;
    expect(key).toMatch(KEYSMITH_KEY_PATTERN);
    expect(created.body).toEqual({
      key,
      id: expect.stringMatching(/^key_\w{16}$/),
      name: 'Billing backend',
      description: 'charges',
      prefix: redactApiKey(key),
      space_id: fx.spaceId,
      owner: { type: 'key', id: ids.manager },
      category: 'production',
      environment: 'live',
      scopes: ['payments:read', 'payments:write'],
      status: 'active',
      active: true,
      expires_at: '2060-01-01T00:00:00.000Z',
      revoked_at: null,
      quotas: { total: null, daily: 100, weekly: null, monthly: 1000 },
      rate_limit: { per_second: 5, per_minute: 100 },
      ip_allowlist: ['203.0.113.0/24'],
      auto_renew: false,
      grace_ends_at: null,
      rolled_to_id: null,
      rolled_from_id: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      last_used_at: null,
      last_used_ip: null,
    });
    // The new key works at once (from an allowed IP).
    const own = await api('GET', '/rate-limit', { key, headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(own.status).toBe(200);
    expect(own.body.limit).toBe(100);
  });

  it('applies the defaults: category production, environment live, no scopes', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'defaults' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      category: 'production',
      environment: 'live',
      scopes: [],
      quotas: { total: null, daily: null, weekly: null, monthly: null },
      rate_limit: null,
      ip_allowlist: [],
    });
    const test = await api('POST', '/api-keys', {
      body: { name: 'a test key', environment: 'test', category: 'ci-runners' },
    });
    expect(test.body.key).toMatch(/^sk_test_/);
    expect(test.body.category).toBe('ci-runners');
  });

  it('answers 400 VALIDATION with snake_case fields, including unknown fields', async () => {
    const bad = await api('POST', '/api-keys', {
      body: {
        name: '',
        category: 'Not Valid',
        quotas: { daily: -1 },
        rate_limit: { per_second: 1.5 },
        ip_allowlist: ['nope'],
        rateLimit: { perSecond: 1 },
      },
    });
    expectRefusal(bad, 400, 'VALIDATION');
    expect(bad.body.fields).toEqual({
      name: 'Enter a name',
      category: expect.any(String),
      'quotas.daily': 'Must be greater than 0',
      'rate_limit.per_second': 'Must be a whole number',
      'ip_allowlist.0': 'Enter an IP address or CIDR range',
      rateLimit: 'Unknown field',
    });
  });

  it('answers the service checks with snake_case fields too', async () => {
    const scopes = await api('POST', '/api-keys', {
      key: keys.admin,
      body: { name: 'x1', space_id: otherSpaceId, scopes: ['payments:read'] },
    });
    expectRefusal(scopes, 400, 'VALIDATION');
    expect(Object.keys(scopes.body.fields ?? {})).toEqual(['scopes']);
    const rate = await api('POST', '/api-keys', { body: { name: 'x2', rate_limit: { per_second: 1000 } } });
    expectRefusal(rate, 400, 'VALIDATION');
    expect(rate.body.fields).toEqual({ 'rate_limit.per_second': 'At most 200 on the enterprise plan' });
    const past = await api('POST', '/api-keys', { body: { name: 'x3', expires_at: '2001-01-01T00:00:00Z' } });
    expect(past.body.fields).toEqual({ expires_at: 'Expiry must be in the future' });
    const renew = await api('POST', '/api-keys', { body: { name: 'x4', auto_renew: true } });
    expect(renew.body.fields).toEqual({ auto_renew: 'Auto-renew needs an expiry date' });
  });

  it('answers 409 CONFLICT when the name is taken in the organization (case-insensitive)', async () => {
    expect((await api('POST', '/api-keys', { body: { name: 'Unique Name' } })).status).toBe(201);
    const again = await api('POST', '/api-keys', { body: { name: 'unique name' } });
    expectRefusal(again, 409, 'CONFLICT');
    expect(again.body.fields).toEqual({ name: expect.any(String) });
    // Names are unique per organization, across spaces.
    const admin = await api('POST', '/api-keys', {
      key: keys.admin,
      body: { name: 'UNIQUE NAME', space_id: otherSpaceId },
    });
    expectRefusal(admin, 409, 'CONFLICT');
  });

  it('refuses a key without keys:write with 403 FORBIDDEN, before looking at the body', async () => {
    const refused = await api('POST', '/api-keys', { key: keys.reader, body: { name: '' } });
    expectRefusal(refused, 403, 'FORBIDDEN');
    expect(refused.body.error).toBe('Insufficient permissions');
    expect(refused.res.headers.get('ratelimit-limit')).toBe('3000');
    expectRefusal(await api('POST', '/api-keys', { key: null, body: { name: 'x' } }), 401, 'MISSING');
  });

  it('confines a key to its space; an admin:* key may name another space', async () => {
    const confined = await api('POST', '/api-keys', { body: { name: 'elsewhere', space_id: otherSpaceId } });
    expectRefusal(confined, 404, 'NOT_FOUND');
    expect(confined.body.fields).toEqual({ space_id: 'Space not found' });
    const own = await api('POST', '/api-keys', { body: { name: 'own space', space_id: fx.spaceId } });
    expect(own.status).toBe(201);
    const admin = await api('POST', '/api-keys', {
      key: keys.admin,
      body: { name: 'search backend', space_id: otherSpaceId, scopes: ['search:read'] },
    });
    expect(admin.status).toBe(201);
    expect(admin.body).toMatchObject({ space_id: otherSpaceId, scopes: ['search:read'] });
    const missing = await api('POST', '/api-keys', {
      key: keys.admin,
      body: { name: 'nowhere', space_id: 'spc_0000000000000000' },
    });
    expectRefusal(missing, 404, 'NOT_FOUND');
    expect(missing.body.fields).toEqual({ space_id: 'Space not found' });
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await fetch(`${base}/v1/api-keys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.manager}`,
        'content-type': 'text/plain',
        'x-forwarded-for': freshIp(),
      },
      body: 'name=x',
    });
    expect(res.status).toBe(415);
  });

  it('answers 409 with the upgrade message when the plan has no API keys', async () => {
    const pro = await createOrgFixture(app, { plan: 'pro' });
    const { key } = await makeKey(pro, { scopes: ['keys:write'] });
    await app.db.orm.em.fork().nativeUpdate(Organization, { id: pro.orgId }, { plan: 'free' });
    app.services.verification.keys.invalidateOrganization(pro.orgId);
    const refused = await api('POST', '/api-keys', { key, body: { name: 'on free' } });
    expectRefusal(refused, 409, 'CONFLICT');
    expect(refused.body.error).toBe(KEYS_NOT_IN_PLAN);
  });
});

describe('GET /v1/api-keys', () => {
  it('lists the keys of the caller space with filters and pagination, never a full key', async () => {
    const tag = `list-${Math.random().toString(36).slice(2, 8)}`;
    for (const [i, body] of [
      { name: `${tag} one`, category: 'staging' },
      { name: `${tag} two`, environment: 'test' },
      { name: `${tag} three` },
    ].entries()) {
      const created = await api('POST', '/api-keys', { body });
      expect(created.status, `key ${i}`).toBe(201);
    }
    const all = await api('GET', `/api-keys?search=${encodeURIComponent(tag.toUpperCase())}`, {
      key: keys.reader,
    });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page: 1, per_page: 25, total: 3 });
    const data = all.body.data as Json[];
    expect(data.map((k) => k.name)).toEqual([`${tag} three`, `${tag} two`, `${tag} one`]);
    for (const record of data) {
      expect(record).not.toHaveProperty('key');
      expect(record.prefix).toMatch(/^sk_(live|test)_\w{4}\.\.\.\w{4}$/);
      expect(record.space_id).toBe(fx.spaceId);
    }
    const page2 = await api('GET', `/api-keys?search=${tag}&per_page=2&page=2`);
    expect(page2.body).toMatchObject({ page: 2, per_page: 2, total: 3 });
    expect((page2.body.data as Json[]).map((k) => k.name)).toEqual([`${tag} one`]);
    const staging = await api('GET', `/api-keys?search=${tag}&category=staging`);
    expect((staging.body.data as Json[]).map((k) => k.name)).toEqual([`${tag} one`]);
    const test = await api('GET', `/api-keys?search=${tag}&environment=test`);
    expect((test.body.data as Json[]).map((k) => k.name)).toEqual([`${tag} two`]);
  });

  it('filters by status', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'to be revoked for status' } });
    await api('DELETE', `/api-keys/${created.body.id}`);
    const revoked = await api('GET', '/api-keys?status=revoked&per_page=100');
    expect((revoked.body.data as Json[]).map((k) => k.id)).toContain(created.body.id);
    expect((revoked.body.data as Json[]).every((k) => k.status === 'revoked')).toBe(true);
    const active = await api('GET', '/api-keys?status=active&per_page=100');
    expect((active.body.data as Json[]).map((k) => k.id)).not.toContain(created.body.id);
  });

  it('shows a space-confined key only its space, and an admin:* key every space', async () => {
    const confined = await api('GET', '/api-keys?per_page=100');
    const confinedIds = (confined.body.data as Json[]).map((k) => k.id);
    expect(confinedIds).not.toContain(ids.otherSpaceKey);
    const admin = await api('GET', '/api-keys?per_page=100', { key: keys.admin });
    const adminIds = (admin.body.data as Json[]).map((k) => k.id);
    expect(adminIds).toContain(ids.otherSpaceKey);
    expect(adminIds).not.toContain(ids.foreignKey);
    expect(admin.body.total).toBeGreaterThan(confined.body.total as number);
  });

  it('answers 400 with fields for bad query parameters and 403 without keys:read', async () => {
    const bad = await api('GET', '/api-keys?per_page=0&page=x&status=gone');
    expectRefusal(bad, 400, 'VALIDATION');
    expect(Object.keys(bad.body.fields ?? {}).sort()).toEqual(['page', 'per_page', 'status']);
    const noScope = await makeKey(fx, { scopes: ['payments:read'] });
    expectRefusal(await api('GET', '/api-keys', { key: noScope.key }), 403, 'FORBIDDEN');
  });
});

describe('GET /v1/api-keys/{id}', () => {
  it('answers the record with usage: admitted requests and quota windows', async () => {
    const created = await api('POST', '/api-keys', {
      body: { name: 'metered', quotas: { daily: 10, monthly: 100 } },
    });
    const key = created.body.key as string;
    for (let i = 0; i < 3; i++) expect((await api('GET', '/rate-limit', { key })).status).toBe(200);
    // A refused request is logged but neither counted nor charged.
    expectRefusal(await api('GET', '/api-keys', { key }), 403, 'FORBIDDEN');
    await flushLogs();
    const detail = await api('GET', `/api-keys/${created.body.id}`, { key: keys.reader });
    expect(detail.status).toBe(200);
    const { key: _shownOnce, ...record } = created.body;
    expect(detail.body).toMatchObject({
      ...record,
      last_used_at: expect.any(String),
      last_used_ip: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(detail.body.usage).toEqual({
      requests_today: 3,
      requests_this_month: 3,
      quotas: {
        daily: { limit: 10, used: 3, remaining: 7, reset_at: expect.any(String) },
        monthly: { limit: 100, used: 3, remaining: 97, reset_at: expect.any(String) },
      },
    });
    expect(detail.text).not.toContain(key.split('.')[1]);
  });

  it('answers an empty quotas object for a key without quotas', async () => {
    const detail = await api('GET', `/api-keys/${ids.manager}`);
    expect((detail.body.usage as Json).quotas).toEqual({});
  });

  it('answers 404 NOT_FOUND for unknown, foreign and out-of-space ids', async () => {
    for (const id of ['key_0000000000000000', 'nonsense', ids.foreignKey, ids.otherSpaceKey]) {
      const answer = await api('GET', `/api-keys/${id}`);
      expectRefusal(answer, 404, 'NOT_FOUND');
    }
    expectRefusal(await api('GET', `/api-keys/${ids.foreignKey}`, { key: keys.admin }), 404, 'NOT_FOUND');
    expect((await api('GET', `/api-keys/${ids.otherSpaceKey}`, { key: keys.admin })).status).toBe(200);
  });
});

describe('PATCH /v1/api-keys/{id}', () => {
  it('updates the §2.2 fields, mapping snake_case in and out', async () => {
    const created = await api('POST', '/api-keys', {
      body: { name: 'to edit', quotas: { daily: 5, weekly: 50 }, rate_limit: { per_second: 2 } },
    });
    const id = created.body.id as string;
    const patched = await api('PATCH', `/api-keys/${id}`, {
      body: {
        name: 'edited',
        description: 'now described',
        category: 'staging',
        scopes: ['payments:read'],
        expires_at: '2059-06-01T12:00:00+02:00',
        quotas: { daily: null, monthly: 500 },
        rate_limit: null,
        ip_allowlist: ['192.0.2.0/24'],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id,
      name: 'edited',
      description: 'now described',
      category: 'staging',
      scopes: ['payments:read'],
      expires_at: '2059-06-01T10:00:00.000Z',
      quotas: { total: null, daily: null, weekly: 50, monthly: 500 },
      rate_limit: null,
      ip_allowlist: ['192.0.2.0/24'],
    });
    expect(patched.body).not.toHaveProperty('key');
    const cleared = await api('PATCH', `/api-keys/${id}`, { body: { expires_at: null, ip_allowlist: [] } });
    expect(cleared.body).toMatchObject({ expires_at: null, ip_allowlist: [], name: 'edited' });
  });

  it('deactivates and reactivates with active, effective at once', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'toggle me' } });
    const key = created.body.key as string;
    const off = await api('PATCH', `/api-keys/${created.body.id}`, { body: { active: false } });
    expect(off.body).toMatchObject({ active: false, status: 'inactive' });
    const refused = await api('GET', '/rate-limit', { key });
    expectRefusal(refused, 401, 'INACTIVE');
    expect(refused.body.error).toBe('Inactive API Key');
    const on = await api('PATCH', `/api-keys/${created.body.id}`, {
      body: { active: true, description: 'back' },
    });
    expect(on.body).toMatchObject({ active: true, status: 'active', description: 'back' });
    expect((await api('GET', '/rate-limit', { key })).status).toBe(200);
  });

  it('answers 400, 404, 409 and 403 as documented', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'patch errors' } });
    const path = `/api-keys/${created.body.id}`;
    const bad = await api('PATCH', path, { body: { quotas: { yearly: 3 }, grace: 1 } });
    expectRefusal(bad, 400, 'VALIDATION');
    expect(bad.body.fields).toEqual({ 'quotas.yearly': 'Unknown field', grace: 'Unknown field' });
    expectRefusal(await api('PATCH', path, { body: { name: 'manager' } }), 409, 'CONFLICT');
    expectRefusal(
      await api('PATCH', `/api-keys/${ids.foreignKey}`, { body: { name: 'x' } }),
      404,
      'NOT_FOUND',
    );
    expectRefusal(
      await api('PATCH', `/api-keys/${ids.otherSpaceKey}`, { body: { name: 'x' } }),
      404,
      'NOT_FOUND',
    );
    expectRefusal(await api('PATCH', path, { key: keys.reader, body: { name: 'x' } }), 403, 'FORBIDDEN');
  });
});

describe('DELETE /v1/api-keys/{id}', () => {
  it('revokes permanently: the key answers 401 Revoked API Key at once; repeating is harmless', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'to revoke' } });
    const key = created.body.key as string;
    expect((await api('GET', '/rate-limit', { key })).status).toBe(200);
    const revoked = await api('DELETE', `/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      id: created.body.id,
      status: 'revoked',
      revoked_at: expect.any(String),
    });
    const refused = await api('GET', '/rate-limit', { key });
    expectRefusal(refused, 401, 'REVOKED');
    expect(refused.body.error).toBe('Revoked API Key');
    const again = await api('DELETE', `/api-keys/${created.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body.revoked_at).toBe(revoked.body.revoked_at);
    // History is kept: the record is still there, and cannot be edited or reactivated.
    expect((await api('GET', `/api-keys/${created.body.id}`)).body.status).toBe('revoked');
    expectRefusal(
      await api('PATCH', `/api-keys/${created.body.id}`, { body: { active: true } }),
      409,
      'CONFLICT',
    );
  });

  it('needs keys:delete, and answers 404 for foreign and out-of-space ids', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'not deletable by writer' } });
    expectRefusal(
      await api('DELETE', `/api-keys/${created.body.id}`, { key: keys.writer }),
      403,
      'FORBIDDEN',
    );
    expectRefusal(await api('DELETE', `/api-keys/${ids.foreignKey}`, { key: keys.admin }), 404, 'NOT_FOUND');
    expectRefusal(await api('DELETE', `/api-keys/${ids.otherSpaceKey}`), 404, 'NOT_FOUND');
  });
});

describe('POST /v1/api-keys/{id}/roll', () => {
  it('returns the new key once; the old key keeps working during the grace period', async () => {
    const created = await api('POST', '/api-keys', {
      body: { name: 'rolling', scopes: ['payments:read'], quotas: { daily: 50 }, category: 'staging' },
    });
    const oldKey = created.body.key as string;
    const rolled = await api('POST', `/api-keys/${created.body.id}/roll`, {
      body: { grace_period_seconds: 3600 },
    });
    expect(rolled.status).toBe(201);
    const newKey = rolled.body.key as string;
    expect(newKey).toMatch(KEYSMITH_KEY_PATTERN);
    expect(newKey).not.toBe(oldKey);
    expect(rolled.body).toMatchObject({
      name: 'rolling',
      prefix: redactApiKey(newKey),
      space_id: fx.spaceId,
      category: 'staging',
      scopes: ['payments:read'],
      quotas: { daily: 50 },
      rolled_from_id: created.body.id,
    });
    expect((await api('GET', '/rate-limit', { key: newKey })).status).toBe(200);
    expect((await api('GET', '/rate-limit', { key: oldKey })).status).toBe(200);
    const old = await api('GET', `/api-keys/${created.body.id}`);
    expect(old.body).toMatchObject({ rolled_to_id: rolled.body.id, status: 'active' });
    const graceEnds = Date.parse(old.body.grace_ends_at as string);
    expect(graceEnds - Date.now()).toBeGreaterThan(3500_000);
    expect(graceEnds - Date.now()).toBeLessThanOrEqual(3600_000);
    // The new key is never shown again.
    const fresh = await api('GET', `/api-keys/${rolled.body.id}`);
    expect(fresh.body).not.toHaveProperty('key');
    expect(fresh.text).not.toContain(newKey.split('.')[1]);
    // A key is rolled once.
    expectRefusal(await api('POST', `/api-keys/${created.body.id}/roll`, { body: {} }), 409, 'CONFLICT');
  });

  it('with a zero grace period, the old key is revoked at once; without a body the grace is 24 h', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'roll now' } });
    const rolled = await api('POST', `/api-keys/${created.body.id}/roll`, {
      body: { grace_period_seconds: 0 },
    });
    expect(rolled.status).toBe(201);
    expectRefusal(await api('GET', '/rate-limit', { key: created.body.key as string }), 401, 'REVOKED');

    const other = await api('POST', '/api-keys', { body: { name: 'roll default' } });
    const res = await fetch(`${base}/v1/api-keys/${other.body.id}/roll`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.manager}`, 'x-forwarded-for': freshIp() },
    });
    expect(res.status).toBe(201);
    issued.push(((await res.json()) as { key: string }).key);
    const old = await api('GET', `/api-keys/${other.body.id}`);
    const grace = Date.parse(old.body.grace_ends_at as string) - Date.now();
    expect(grace).toBeGreaterThan(86_300_000);
  });

  it('answers 400 for a grace period over 7 days, 404 for foreign ids, 403 without keys:write', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'roll errors' } });
    const bad = await api('POST', `/api-keys/${created.body.id}/roll`, {
      body: { grace_period_seconds: 8 * 86_400 },
    });
    expectRefusal(bad, 400, 'VALIDATION');
    expect(bad.body.fields).toEqual({ grace_period_seconds: 'Grace period is at most 7 days' });
    expectRefusal(await api('POST', `/api-keys/${ids.foreignKey}/roll`, { body: {} }), 404, 'NOT_FOUND');
    expectRefusal(
      await api('POST', `/api-keys/${created.body.id}/roll`, { key: keys.reader, body: {} }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('GET /v1/api-keys/{id}/logs', () => {
  it('pages through the key request logs, newest first, with a cursor', async () => {
    const created = await api('POST', '/api-keys', { body: { name: 'logged', scopes: ['payments:read'] } });
    const key = created.body.key as string;
    for (let i = 0; i < 5; i++)
      await api('GET', '/rate-limit', { key, headers: { 'x-forwarded-for': `192.0.2.${i + 1}` } });
    expectRefusal(await api('GET', '/api-keys', { key }), 403, 'FORBIDDEN');
    await flushLogs();

    const seen: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await api('GET', `/api-keys/${created.body.id}/logs${query}`, { key: keys.reader });
      expect(page.status).toBe(200);
      const data = page.body.data as Json[];
      expect(data.length).toBeLessThanOrEqual(2);
      seen.push(...data);
      cursor = page.body.next_cursor as string | null;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect(new Set(seen.map((l) => l.id)).size).toBe(6);
    const times = seen.map((l) => Date.parse(l.time as string));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(seen[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      time: expect.any(String),
      method: 'GET',
      endpoint: '/v1/api-keys',
      status: 403,
      duration_ms: expect.any(Number),
      ip: expect.any(String),
      credits: 0,
      code: 'FORBIDDEN',
    });
    expect(seen.slice(1).map((l) => [l.endpoint, l.status, l.code, l.credits])).toEqual(
      Array.from({ length: 5 }, () => ['/v1/rate-limit', 200, 'VALID', 1]),
    );
    expect(seen.slice(1).map((l) => l.ip)).toEqual([
      '192.0.2.5',
      '192.0.2.4',
      '192.0.2.3',
      '192.0.2.2',
      '192.0.2.1',
    ]);
  });

  it('logs management calls of the calling key, with the route as endpoint', async () => {
    const caller = await makeKey(fx, { name: 'log caller', scopes: ['keys:read'] });
    await api('GET', `/api-keys/${ids.manager}`, { key: caller.key });
    await flushLogs();
    const logs = await api('GET', `/api-keys/${caller.id}/logs`);
    expect((logs.body.data as Json[]).map((l) => [l.method, l.endpoint, l.status])).toEqual([
      ['GET', '/v1/api-keys/:id', 200],
    ]);
  });

  it('answers 400 for a bad cursor or limit, 404 for foreign ids', async () => {
    const path = `/api-keys/${ids.manager}/logs`;
    const cursor = await api('GET', `${path}?cursor=not-a-cursor`);
    expectRefusal(cursor, 400, 'VALIDATION');
    expect(Object.keys(cursor.body.fields ?? {})).toEqual(['cursor']);
    const limit = await api('GET', `${path}?limit=101`);
    expectRefusal(limit, 400, 'VALIDATION');
    expect(Object.keys(limit.body.fields ?? {})).toEqual(['limit']);
    expectRefusal(
      await api('GET', `/api-keys/${ids.foreignKey}/logs`, { key: keys.admin }),
      404,
      'NOT_FOUND',
    );
    expectRefusal(await api('GET', `/api-keys/${ids.otherSpaceKey}/logs`), 404, 'NOT_FOUND');
  });
});

describe('secrets', () => {
  it('never shows a full key or its secret outside the create and roll answers', async () => {
    expect(issued.length).toBeGreaterThan(10);
    await flushLogs();
    const texts = [
      (await api('GET', '/api-keys?per_page=100', { key: keys.admin })).text,
      (await api('GET', `/api-keys/${ids.manager}/logs?limit=100`)).text,
    ];
    const list = await api('GET', '/api-keys?per_page=100', { key: keys.admin });
    for (const record of list.body.data as Json[])
      texts.push((await api('GET', `/api-keys/${record.id}`, { key: keys.admin })).text);
    const everything = texts.join('\n');
    for (const key of issued) {
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.split('.')[1]);
    }
    expect(app.logs.text()).not.toContain(issued[0]);
  });
});
