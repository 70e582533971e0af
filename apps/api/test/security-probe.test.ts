import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { addSpace, createOrgFixture, type OrgFixture } from './key-fixtures.js';

/**
 * Regression tests for the black-box probe of issue 9, each written from its reproduction,
 * over real HTTP: poison log rows, scope escalation, cross-tenant IP blocks, 500s on crafted
 * input, framework errors outside the §5 shape, and the §3 key-header rules.
 */

let app: TestApp;
let base: string;
let a: OrgFixture;
let b: OrgFixture;
const keysOf = {
  aVerifier: '',
  aConsumer: '',
  bVerifier: '',
  writer: '',
  writerId: '',
  target: '',
  targetId: '',
};

type Json = Record<string, unknown> & { code?: string; fields?: Record<string, string>; request_id?: string };

async function call(
  method: string,
  path: string,
  options: {
    key?: string | null;
    body?: unknown;
    raw?: string;
    ip?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = {
    'x-forwarded-for': options.ip ?? '192.0.2.10',
    ...options.headers,
  };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = (text ? JSON.parse(text) : {}) as Json;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function expectShape(answer: { status: number; body: Json }, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  expect(answer.body.request_id).toMatch(/^req_\w+$/);
  expect(typeof answer.body.error).toBe('string');
}

async function makeKey(
  fx: OrgFixture,
  scopes: string[],
  spaceId = fx.spaceId,
): Promise<{ key: string; id: string }> {
  const c = await app.caller(fx.owner.cookie);
  const created = await c.key.create({
    orgId: fx.orgId,
    spaceId,
    name: `k-${Math.random().toString(36).slice(2)}`,
    scopes,
  });
  return { key: created.key, id: created.record.id };
}

beforeAll(async () => {
  // With TEST_REDIS_URL (CI's second pass) the same reproductions run on Redis counters.
  app = await createTestApp({
    TRUST_PROXY_HOPS: '1',
    KEY_MAINTENANCE_PERIOD_MS: '60000',
    ...(process.env.TEST_REDIS_URL
      ? { REDIS_URL: process.env.TEST_REDIS_URL, REDIS_KEY_PREFIX: `probe${randomBytes(3).toString('hex')}` }
      : {}),
  });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  a = await createOrgFixture(app, { plan: 'enterprise', scopes: ['tasks:read', 'tasks:write'] });
  b = await createOrgFixture(app, { plan: 'enterprise', scopes: ['tasks:read'] });
  keysOf.aVerifier = (await makeKey(a, ['keys:verify'])).key;
  keysOf.aConsumer = (await makeKey(a, ['tasks:read'])).key;
  keysOf.bVerifier = (await makeKey(b, ['keys:verify'])).key;
  const writer = await makeKey(a, ['keys:read', 'keys:write']);
  keysOf.writer = writer.key;
  keysOf.writerId = writer.id;
  const target = await makeKey(a, ['tasks:read', 'tasks:write', 'keys:delete']);
  keysOf.target = target.key;
  keysOf.targetId = target.id;
});
afterAll(() => app.shutdown());

describe('1. a NUL byte cannot poison request logging', () => {
  it('records a verify call whose endpoint holds a NUL (made storable), and every other row of its batch', async () => {
    const poisoned = await call('POST', '/v1/keys/verify', {
      key: keysOf.aVerifier,
      body: { key: keysOf.aConsumer, endpoint: 'GET /x\u0000', ip: '203.0.113.5' },
    });
    expect(poisoned.status).toBe(200);
    expect(poisoned.body.valid).toBe(true);
    // Another tenant's traffic in the same batch.
    const bConsumer = await makeKey(b, ['tasks:read']);
    const other = await call('POST', '/v1/keys/verify', {
      key: keysOf.bVerifier,
      body: { key: bConsumer.key, endpoint: 'GET /tasks', ip: '203.0.113.6' },
    });
    expect(other.body.valid).toBe(true);
    await app.services.verification.flush();
    const rows = await app.db.orm.em
      .fork()
      .getConnection()
      .execute<{ endpoint: string; organization_id: string }[]>(
        `select endpoint, organization_id from request_logs where endpoint in (?, ?)`,
        ['GET /x\ufffd', 'GET /tasks'],
      );
    expect(rows.map((r) => r.organization_id).sort()).toEqual([a.orgId, b.orgId].sort());
    // And the process keeps serving.
    expect((await call('GET', '/v1/rate-limit', { key: keysOf.aConsumer })).status).toBe(200);
  });

  it('sets aside a row the database refuses and writes the rest of its batch, with one bounded log line', async () => {
    const writer = app.services.verification.logs;
    const before = app.services.metrics.value('keysmith_request_log_rows_set_aside_total');
    const linesBefore = app.logs.lines.length;
    const row = (status: number, endpoint: string) => ({
      organizationId: a.orgId,
      spaceId: a.spaceId,
      keyId: null,
      time: Date.now(),
      method: 'VERIFY',
      endpoint,
      status,
      durationMs: 1,
      ip: '203.0.113.9',
      credits: 0,
      code: 'VALID',
    });
    for (let i = 0; i < 50; i++) writer.push(row(200, `GET /fine-${i}`), false);
    // A smallint cannot hold 99999: the database refuses this row, and only this row.
    writer.push(row(99_999, 'GET /poison'), false);
    for (let i = 50; i < 100; i++) writer.push(row(200, `GET /fine-${i}`), false);
    await writer.flush();
    const [written] = await app.db.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from request_logs where endpoint like 'GET /fine-%'`);
    expect(Number(written?.n)).toBe(100);
    expect(app.services.metrics.value('keysmith_request_log_rows_set_aside_total')).toBe(before + 1);
    const newLines = app.logs.lines.slice(linesBefore).filter((l) => l.includes('set aside'));
    if (newLines.length !== 1)
      console.log(
        'SETASIDE',
        newLines.map((l) => l.slice(0, 300)),
      );
    expect(newLines).toHaveLength(1);
    expect(newLines[0]?.length).toBeLessThan(8_000);
    expect(writer.pending).toBe(0);
  });
});

describe('2. scopes never escalate', () => {
  it('refuses a key giving itself admin:* (PATCH own id)', async () => {
    const res = await call('PATCH', `/v1/api-keys/${keysOf.writerId}`, {
      key: keysOf.writer,
      body: { scopes: ['admin:*'] },
    });
    expectShape(res, 403, 'FORBIDDEN');
    expect(Object.keys(res.body.fields ?? {})).toEqual(['scopes']);
    const after = await call('GET', `/v1/api-keys/${keysOf.writerId}`, { key: keysOf.writer });
    expect(after.body.scopes).toEqual(['keys:read', 'keys:write']);
  });

  it('refuses a key changing its own scopes even to fewer', async () => {
    const res = await call('PATCH', `/v1/api-keys/${keysOf.writerId}`, {
      key: keysOf.writer,
      body: { scopes: ['keys:read'] },
    });
    expectShape(res, 403, 'FORBIDDEN');
  });

  it('refuses creating a key with scopes the caller does not hold, allows a subset', async () => {
    const admin = await call('POST', '/v1/api-keys', {
      key: keysOf.writer,
      body: { name: 'escalated', scopes: ['admin:*'] },
    });
    expectShape(admin, 403, 'FORBIDDEN');
    const other = await call('POST', '/v1/api-keys', {
      key: keysOf.writer,
      body: { name: 'tasks reader', scopes: ['tasks:read'] },
    });
    expectShape(other, 403, 'FORBIDDEN');
    const subset = await call('POST', '/v1/api-keys', {
      key: keysOf.writer,
      body: { name: 'reader child', scopes: ['keys:read'] },
    });
    expect(subset.status).toBe(201);
  });

  it('refuses giving another key scopes the caller does not hold (PATCH)', async () => {
    const res = await call('PATCH', `/v1/api-keys/${keysOf.targetId}`, {
      key: keysOf.writer,
      body: { scopes: ['tasks:read', 'tasks:write', 'keys:delete', 'keys:write'] },
    });
    expectShape(res, 403, 'FORBIDDEN');
  });

  it('refuses rolling a key that holds scopes the caller does not (the roller would get its secret)', async () => {
    const res = await call('POST', `/v1/api-keys/${keysOf.targetId}/roll`, { key: keysOf.writer });
    expectShape(res, 403, 'FORBIDDEN');
    const still = await call('GET', '/v1/rate-limit', { key: keysOf.target });
    expect(still.status).toBe(200);
  });

  it('lets admin:* in a catalog allow only admin:* itself, not made-up scopes', async () => {
    const spaceId = await addSpace(app, a.orgId, 'Root space', ['admin:*']);
    const c = await app.caller(a.owner.cookie);
    const made = c.key.create({ orgId: a.orgId, spaceId, name: 'made-up', scopes: ['foo:bar'] });
    await expect(made).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const root = await c.key.create({ orgId: a.orgId, spaceId, name: 'root ok', scopes: ['admin:*'] });
    // An admin:* key may grant anything its target space's catalog allows.
    const child = await call('POST', '/v1/api-keys', {
      key: root.key,
      body: { name: 'child of root', space_id: a.spaceId, scopes: ['tasks:write'] },
    });
    expect(child.status).toBe(201);
  });
});

describe('3. one tenant cannot block another tenant’s callers', () => {
  it('blocks (organization B, ip) after 20 bad keys reported by B, and leaves organization A unaffected', async () => {
    const ip = '198.51.100.61';
    for (let i = 0; i < 20; i++) {
      const res = await call('POST', '/v1/keys/verify', {
        key: keysOf.bVerifier,
        body: { key: `garbage-${i}`, ip },
      });
      expect(res.body.code).toBe('INVALID');
    }
    const bNext = await call('POST', '/v1/keys/verify', {
      key: keysOf.bVerifier,
      body: { key: 'garbage', ip },
    });
    expect(bNext.body.code).toBe('IP_BLOCKED');
    // Organization A's backend verifying a consumer at that address: unaffected.
    const aVerify = await call('POST', '/v1/keys/verify', {
      key: keysOf.aVerifier,
      body: { key: keysOf.aConsumer, ip },
    });
    expect(aVerify.body.code).toBe('VALID');
    // A direct call from that address: unaffected too.
    expect((await call('GET', '/v1/rate-limit', { key: keysOf.aConsumer, ip })).status).toBe(200);
  });

  it('never counts a verify call without ip against the caller’s own address', async () => {
    const backendIp = '198.51.100.77';
    for (let i = 0; i < 25; i++) {
      const res = await call('POST', '/v1/keys/verify', {
        key: keysOf.aVerifier,
        ip: backendIp,
        body: { key: `garbage-${i}` },
      });
      expect(res.body.code).toBe('INVALID');
    }
    const own = await call('POST', '/v1/keys/verify', {
      key: keysOf.aVerifier,
      ip: backendIp,
      body: { key: keysOf.aConsumer },
    });
    expect(own.status).toBe(200);
    expect(own.body.code).toBe('VALID');
  });

  it('keeps the global per-IP block for direct /v1 calls with bad keys', async () => {
    const ip = '198.51.100.88';
    for (let i = 0; i < 20; i++)
      expect((await call('GET', '/v1/rate-limit', { key: `nope-${i}`, ip })).status).toBe(401);
    expectShape(await call('GET', '/v1/rate-limit', { key: keysOf.aConsumer, ip }), 403, 'IP_BLOCKED');
  });
});

describe('4. crafted input answers 400, never 500', () => {
  it.each([
    ['a NUL in a create name', 'POST', '/v1/api-keys', { name: 'bad\u0000name' }, 'name'],
    ['a lone surrogate in a create name', 'POST', '/v1/api-keys', { name: 'bad \udc00' }, 'name'],
    ['a control character in a create name', 'POST', '/v1/api-keys', { name: 'bell\u0007' }, 'name'],
  ])('%s', async (_label, method, path, body, field) => {
    const res = await call(method, path, { key: keysOf.writer, body });
    expectShape(res, 400, 'VALIDATION');
    expect(Object.keys(res.body.fields ?? {})).toContain(field);
  });

  it('refuses a NUL in a PATCH description', async () => {
    const res = await call('PATCH', `/v1/api-keys/${keysOf.targetId}`, {
      key: keysOf.writer,
      body: { description: 'x\u0000' },
    });
    expectShape(res, 400, 'VALIDATION');
    expect(res.body.fields).toHaveProperty('description');
  });

  it('refuses ?search=%00', async () => {
    const res = await call('GET', '/v1/api-keys?search=%00', { key: keysOf.writer });
    expectShape(res, 400, 'VALIDATION');
    expect(res.body.fields).toHaveProperty('search');
  });

  it.each([
    ['GET', '/v1/api-keys/key_%00'],
    ['PATCH', '/v1/api-keys/key_%00'],
    ['DELETE', '/v1/api-keys/key_%00'],
    ['POST', '/v1/api-keys/key_%00/roll'],
    ['GET', '/v1/api-keys/key_%00/logs'],
  ])('refuses a NUL in the id of %s %s', async (method, path) => {
    const admin = await makeKey(a, ['keys:read', 'keys:write', 'keys:delete']);
    const res = await call(method, path, { key: admin.key, ...(method === 'PATCH' ? { body: {} } : {}) });
    expectShape(res, 400, 'VALIDATION');
    expect(res.body.fields).toHaveProperty('id');
  });

  it('refuses a logs cursor of a time PostgreSQL cannot hold', async () => {
    const cursor = Buffer.from('999999999999999|1').toString('base64url');
    const res = await call('GET', `/v1/api-keys/${keysOf.targetId}/logs?cursor=${cursor}`, {
      key: keysOf.writer,
    });
    expectShape(res, 400, 'VALIDATION');
    expect(res.body.fields).toHaveProperty('cursor');
  });
});

describe('5. framework errors follow §5', () => {
  it('answers an over-long id with 414 in the §5 shape', async () => {
    const res = await call('GET', `/v1/api-keys/key_${'x'.repeat(5001)}`, { key: keysOf.writer });
    expectShape(res, 414, 'URI_TOO_LONG');
  });

  it('answers bad percent-encoding with 400 VALIDATION', async () => {
    const res = await call('GET', '/v1/api-keys/%zz', { key: keysOf.writer });
    expectShape(res, 400, 'VALIDATION');
  });

  it('answers malformed JSON with 400 VALIDATION naming the body, and a wrong content type with 415', async () => {
    const bad = await call('POST', '/v1/api-keys', { key: keysOf.writer, raw: '{"name": ' });
    expectShape(bad, 400, 'VALIDATION');
    expect(bad.body.fields).toHaveProperty('body');
    const wrong = await call('POST', '/v1/api-keys', {
      key: keysOf.writer,
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectShape(wrong, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts a roll with Content-Type: application/json and an empty body', async () => {
    const rolled = await makeKey(a, ['keys:read']);
    const res = await call('POST', `/v1/api-keys/${rolled.id}/roll`, {
      key: keysOf.writer,
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(201);
  });
});

describe('6. key headers follow §3', () => {
  it('answers an empty Bearer with MISSING', async () => {
    expectShape(
      await call('GET', '/v1/rate-limit', { headers: { authorization: 'Bearer ' } }),
      401,
      'MISSING',
    );
    expectShape(await call('GET', '/v1/rate-limit', { headers: { 'x-api-key': '' } }), 401, 'MISSING');
  });

  it('answers a bare key in Authorization with INVALID', async () => {
    const res = await call('GET', '/v1/rate-limit', { headers: { authorization: keysOf.aConsumer } });
    expectShape(res, 401, 'INVALID');
  });

  it('answers two different keys with INVALID, and accepts the same key twice', async () => {
    const two = await call('GET', '/v1/rate-limit', {
      key: keysOf.aConsumer,
      headers: { 'x-api-key': keysOf.writer },
    });
    expectShape(two, 401, 'INVALID');
    const same = await call('GET', '/v1/rate-limit', {
      key: keysOf.aConsumer,
      headers: { 'x-api-key': keysOf.aConsumer },
    });
    expect(same.status).toBe(200);
  });
});

describe('7. /metrics', () => {
  it('answers on loopback with the writer counters, and does not exist for anyone else', async () => {
    const local = await fetch(`${base}/metrics`);
    expect(local.status).toBe(200);
    const text = await local.text();
    expect(text).toMatch(/^keysmith_request_log_rows_set_aside_total \d+$/m);
    expect(text).toMatch(/^keysmith_request_log_rows_dropped_total \d+$/m);
    const remote = await call('GET', '/metrics', { ip: '203.0.113.50' });
    expectShape(remote, 404, 'NOT_FOUND');
  });
});
