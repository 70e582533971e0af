/**
 * Each middleware in front of a real Keysmith (real HTTP, PGlite): what the consumer gets for
 * each §3 case (status, body, `RateLimit-*`, `X-RateLimit-*`, `Retry-After`), and what the
 * handler sees on success. Where Keysmith's own `/v1` can be asked the same question
 * (revoked, rate-limited, over quota), the middleware's answer is compared with Keysmith's.
 */
import { VERIFY_ERROR_BY_CODE, type VerifyCode } from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeysmithServer, startKeysmith, verifyCalls } from './keysmith-server.js';
import { ADAPTERS, type RunningApp, startProtectedApp } from './protected-apps.js';

let keysmith: KeysmithServer;

beforeAll(async () => {
  keysmith = await startKeysmith();
});
afterAll(() => keysmith.stop());

const RATE_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'] as const;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function send(
  url: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
): Promise<Answer> {
  const res = await fetch(url, { method, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The §3 answer for `code`: status, `{error, code, request_id}` and nothing else in the body. */
function expectRefusal(answer: Answer, code: VerifyCode, error: string = VERIFY_ERROR_BY_CODE[code].error) {
  expect(answer.status).toBe(VERIFY_ERROR_BY_CODE[code].status);
  expect(Object.keys(answer.body).sort()).toEqual(['code', 'error', 'request_id']);
  expect(answer.body.error).toBe(error);
  expect(answer.body.code).toBe(code);
  expect(answer.body.request_id).toMatch(/^req_[0-9A-Za-z]{16}$/);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
}

/** `RateLimit-*` present, integers, and the same values as `X-RateLimit-*`. */
function expectRateHeaders(answer: Answer, limit?: number): void {
  for (const name of RATE_HEADERS) {
    const value = answer.headers.get(name);
    expect(value, name).toMatch(/^\d+$/);
    expect(answer.headers.get(`x-${name}`), `x-${name}`).toBe(value);
  }
  if (limit !== undefined) expect(Number(answer.headers.get('ratelimit-limit'))).toBe(limit);
  const reset = Number(answer.headers.get('ratelimit-reset'));
  expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
  expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61);
}

function expectNoRateHeaders(answer: Answer): void {
  for (const name of RATE_HEADERS) {
    expect(answer.headers.get(name)).toBeNull();
    expect(answer.headers.get(`x-${name}`)).toBeNull();
  }
}

/** Keysmith's own answer to the same key on an authenticated `/v1` route. */
async function keysmithsOwnAnswer(key: string): Promise<Answer> {
  return send(`${keysmith.baseUrl}/v1/rate-limit`, bearer(key));
}

/** Same status, error, code and header names as Keysmith's own §3 answer (ids and times aside). */
function expectSameAsKeysmith(answer: Answer, own: Answer): void {
  expect({ status: answer.status, error: answer.body.error, code: answer.body.code }).toEqual({
    status: own.status,
    error: own.body.error,
    code: own.body.code,
  });
  for (const name of [...RATE_HEADERS, ...RATE_HEADERS.map((n) => `x-${n}`), 'retry-after']) {
    expect(answer.headers.has(name), name).toBe(own.headers.has(name));
  }
  // `remaining` may differ by the own call itself: Keysmith counts a request the rate limiter
  // admitted even when its quota then refuses it.
  expect(answer.headers.get('ratelimit-limit')).toBe(own.headers.get('ratelimit-limit'));
}

describe.each(ADAPTERS)('%s middleware against a real Keysmith', (adapter) => {
  let app: RunningApp;
  let reader: string;
  let writer: string;

  beforeAll(async () => {
    app = await startProtectedApp(adapter, { client: keysmith.client });
    reader = (await keysmith.createKey({ scopes: ['tasks:read'] })).key;
    writer = (await keysmith.createKey({ scopes: ['tasks:read', 'tasks:write'] })).key;
  });
  afterAll(() => app.close());

  it('admits a valid key: the handler gets the verification, the answer the rate-limit headers', async () => {
    const answer = await send(`${app.url}/tasks`, bearer(reader));
    expect(answer.status).toBe(200);
    const verification = answer.body.verification as Record<string, unknown>;
    expect(verification).toMatchObject({
      valid: true,
      code: 'VALID',
      environment: 'live',
      scopes: ['tasks:read'],
      fail_open: false,
    });
    expect(verification.key_id).toMatch(/^key_[0-9A-Za-z]{16}$/);
    expect(Date.parse(String(verification.verified_at))).toBeGreaterThan(Date.now() - 10_000);
    expectRateHeaders(answer, 3000);

    // X-API-Key works the same, and a route's cost is what gets metered.
    const viaHeader = await send(`${app.url}/tasks`, { 'x-api-key': writer }, 'POST');
    expect(viaHeader.status).toBe(201);
    expectRateHeaders(viaHeader);
    const keyId = (viaHeader.body.verification as { key_id: string }).key_id;
    await keysmith.app.services.verification.flush();
    const logs = await keysmith.client.apiKeys.logs(keyId);
    expect(logs.data[0]).toMatchObject({
      method: 'VERIFY',
      endpoint: 'POST /tasks',
      credits: 2,
      code: 'VALID',
    });
  });

  it('leaves an unprotected route alone', async () => {
    const before = verifyCalls(keysmith);
    const answer = await send(`${app.url}/public`);
    expect(answer).toMatchObject({ status: 200, body: { public: true } });
    expect(verifyCalls(keysmith)).toBe(before);
  });

  it('refuses a request without a key as MISSING, locally', async () => {
    const before = verifyCalls(keysmith);
    for (const headers of [{}, { 'x-api-key': '' }, { authorization: 'Bearer ' }, { authorization: '  ' }]) {
      const answer = await send(`${app.url}/tasks`, headers);
      expectRefusal(answer, 'MISSING');
      expectNoRateHeaders(answer);
    }
    expect(verifyCalls(keysmith)).toBe(before);
  });

  it('refuses a bad checksum as INVALID without a request to Keysmith', async () => {
    const before = verifyCalls(keysmith);
    const last = reader.at(-1) === 'A' ? 'B' : 'A';
    const flipped = `${reader.slice(0, -1)}${last}`;
    for (const headers of [
      bearer(flipped),
      { 'x-api-key': flipped },
      bearer('not-a-key'),
      { authorization: reader }, // a bare key without `Bearer`
      { authorization: `Basic ${reader}` },
      { ...bearer(reader), 'x-api-key': writer }, // two different keys
    ]) {
      const answer = await send(`${app.url}/tasks`, headers);
      expectRefusal(answer, 'INVALID');
      expectNoRateHeaders(answer);
    }
    expect(verifyCalls(keysmith)).toBe(before);
    // The same key in both headers is one key.
    expect((await send(`${app.url}/tasks`, { ...bearer(reader), 'x-api-key': reader })).status).toBe(200);
  });

  it('refuses a revoked key as REVOKED, as Keysmith itself answers', async () => {
    const created = await keysmith.createKey({ scopes: ['tasks:read'] });
    expect((await send(`${app.url}/tasks`, bearer(created.key))).status).toBe(200);
    await keysmith.client.apiKeys.revoke(created.id);
    const answer = await send(`${app.url}/tasks`, bearer(created.key));
    expectRefusal(answer, 'REVOKED');
    expectRateHeaders(answer);
    expectSameAsKeysmith(answer, await keysmithsOwnAnswer(created.key));
  });

  it('refuses a key without the route scope as FORBIDDEN', async () => {
    const answer = await send(`${app.url}/tasks`, bearer(reader), 'POST');
    expectRefusal(answer, 'FORBIDDEN');
    expectRateHeaders(answer);
  });

  it('refuses a rate-limited key with 429, Retry-After and the per-minute wording', async () => {
    const { key } = await keysmith.createKey({ scopes: ['tasks:read'], rate_limit: { per_minute: 1 } });
    const first = await send(`${app.url}/tasks`, bearer(key));
    expect(first.status).toBe(200);
    expectRateHeaders(first, 1);
    expect(first.headers.get('ratelimit-remaining')).toBe('0');

    const answer = await send(`${app.url}/tasks`, bearer(key));
    expectRefusal(answer, 'RATE_LIMITED', 'exceeded the per-minute rate limit on your subscription');
    expectRateHeaders(answer, 1);
    expect(answer.headers.get('ratelimit-remaining')).toBe('0');
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
      `Retry-After ${retryAfter}`,
    ).toBe(true);
    const own = await keysmithsOwnAnswer(key);
    expectSameAsKeysmith(answer, own);
    expect(Math.abs(retryAfter - Number(own.headers.get('retry-after')))).toBeLessThanOrEqual(1);
  });

  it('refuses a key whose quota is used up as QUOTA_EXCEEDED', async () => {
    const { key } = await keysmith.createKey({ scopes: ['tasks:read'], quotas: { total: 1 } });
    expect((await send(`${app.url}/tasks`, bearer(key))).status).toBe(200);
    const answer = await send(`${app.url}/tasks`, bearer(key));
    expectRefusal(answer, 'QUOTA_EXCEEDED', 'Rate limit exceeded: quota total');
    expectRateHeaders(answer);
    expectSameAsKeysmith(answer, await keysmithsOwnAnswer(key));
  });
});
