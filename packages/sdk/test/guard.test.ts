/**
 * The middleware core without a server: the §3 header rules (with hostile input), the
 * consumer IP behind proxies, the fail-open table, and how verify answers and failures turn
 * into the consumer's answer. Keysmith is stood in for by a `fetch` that returns canned
 * answers, so the real client code runs.
 */
import { generateApiKey } from '@keysmith/domain';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Keysmith } from '../src/client.js';
import type { KeysmithError } from '../src/errors.js';
import type { VerifyKeyResult } from '../src/generated/openapi.js';
import { VerifiedKeys } from '../src/middleware/fail-open-cache.js';
import {
  clientIpFromForwarded,
  type GuardRequest,
  KeysmithGuard,
  presentedKey,
} from '../src/middleware/guard.js';

const ROOT = generateApiKey({ prefix: 'sk', environment: 'live' }).key;
const KEY = generateApiKey({ prefix: 'sk', environment: 'live' }).key;
const OTHER = generateApiKey({ prefix: 'sk', environment: 'test' }).key;

describe('presentedKey (§3 header rules)', () => {
  it.each([
    [undefined, undefined, { refusal: 'MISSING' }],
    ['', '', { refusal: 'MISSING' }],
    ['   ', undefined, { refusal: 'MISSING' }],
    ['Bearer', undefined, { refusal: 'MISSING' }],
    ['Bearer    ', undefined, { refusal: 'MISSING' }],
    [`Bearer ${KEY}`, undefined, { key: KEY }],
    [`bearer   ${KEY}  `, undefined, { key: KEY }],
    [undefined, ` ${KEY} `, { key: KEY }],
    ['', KEY, { key: KEY }],
    [`Bearer ${KEY}`, KEY, { key: KEY }],
    [KEY, undefined, { refusal: 'INVALID' }],
    [KEY, KEY, { refusal: 'INVALID' }],
    [`Basic ${KEY}`, undefined, { refusal: 'INVALID' }],
    [`Bearer ${KEY}`, OTHER, { refusal: 'INVALID' }],
  ])('Authorization %j, X-API-Key %j → %j', (authorization, apiKey, expected) => {
    expect(presentedKey(authorization, apiKey)).toEqual(expected);
  });

  it('never throws, and a presented key is non-empty, trimmed and taken from a header', () => {
    const header = fc.option(fc.string({ unit: 'binary', maxLength: 120 }), { nil: undefined });
    fc.assert(
      fc.property(header, header, (authorization, apiKey) => {
        const result = presentedKey(authorization, apiKey);
        if ('key' in result) {
          expect(result.key).not.toBe('');
          expect(result.key).toBe(result.key.trim());
          expect(`${authorization ?? ''}\n${apiKey ?? ''}`).toContain(result.key);
        }
      }),
    );
  });
});

describe('clientIpFromForwarded', () => {
  it.each([
    ['10.0.0.1', '203.0.113.7', 0, '10.0.0.1'],
    ['10.0.0.1', '203.0.113.7', 1, '203.0.113.7'],
    ['10.0.0.1', '198.51.100.1, 203.0.113.7', 1, '203.0.113.7'],
    ['10.0.0.1', '198.51.100.1, 203.0.113.7', 2, '198.51.100.1'],
    ['10.0.0.1', '198.51.100.1', 5, '198.51.100.1'],
    ['10.0.0.1', undefined, 1, '10.0.0.1'],
    [undefined, '198.51.100.1, 203.0.113.7', 1, '203.0.113.7'],
    [undefined, '198.51.100.1, 203.0.113.7', 2, '198.51.100.1'],
    [undefined, '198.51.100.1', 0, undefined],
  ])('socket %s, X-Forwarded-For %j, %i trusted hops → %s', (socket, forwarded, hops, expected) => {
    expect(clientIpFromForwarded(socket, forwarded, hops)).toBe(expected);
  });
});

const VALID: VerifyKeyResult = {
  valid: true,
  code: 'VALID',
  key_id: 'key_7Hq2mX9aBc3dEf4G',
  space_id: 'spc_4kP9sW2xLm7Qa1Zc',
  environment: 'live',
  scopes: ['tasks:read'],
  expires_at: null,
  quotas: {},
  rate_limit: { limit: 300, remaining: 299, reset: 1_900_000_000 },
};

describe('VerifiedKeys (fail-open table)', () => {
  it('names entries by key and IP, recalls within the window, forgets and evicts the oldest', async () => {
    const table = new VerifiedKeys(2);
    const a = await table.idOf(KEY, '203.0.113.7');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain(KEY);
    expect(await table.idOf(KEY, '203.0.113.8')).not.toBe(a);
    table.remember(a, VALID, 1_000);
    expect(table.recall(a, 60_000, 61_000)?.at).toBe(1_000);
    expect(table.recall(a, 60_000, 61_001)).toBeNull();
    table.remember('b', VALID, 2_000);
    table.remember('c', VALID, 3_000);
    expect(table.size).toBe(2);
    expect(table.recall(a, 60_000, 3_000)).toBeNull();
    table.forget('b');
    expect(table.recall('b', 60_000, 3_000)).toBeNull();
  });
});

/** A client whose Keysmith answers from `answer` (a verify result, or an HTTP failure). */
function stubClient(answer: () => Response | Promise<Response>): { client: Keysmith; calls: () => number } {
  let calls = 0;
  const client = new Keysmith({
    baseUrl: 'http://keysmith.test',
    rootKey: ROOT,
    fetch: async () => {
      calls += 1;
      return answer();
    },
  });
  return { client, calls: () => calls };
}

const request = (overrides: Partial<GuardRequest> = {}): GuardRequest => ({
  authorization: `Bearer ${KEY}`,
  apiKey: undefined,
  ip: '203.0.113.7',
  endpoint: 'GET /tasks',
  scopes: ['tasks:read'],
  cost: 1,
  ...overrides,
});

describe('KeysmithGuard', () => {
  it('sends the key, scopes, cost, endpoint and canonical IP to verify', async () => {
    const bodies: unknown[] = [];
    const client = new Keysmith({
      baseUrl: 'http://keysmith.test',
      rootKey: ROOT,
      fetch: async (_url, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        return Response.json(VALID);
      },
    });
    const guard = new KeysmithGuard({ client });
    const decision = await guard.check(
      request({ ip: '::ffff:203.0.113.7', endpoint: 'x'.repeat(600), cost: 3 }),
    );
    expect(decision.admitted).toBe(true);
    expect(bodies).toEqual([
      { key: KEY, scopes: ['tasks:read'], cost: 3, endpoint: 'x'.repeat(512), ip: '203.0.113.7' },
    ]);
    // An address that is not one is left out rather than sent (Keysmith would answer 400).
    await guard.check(request({ ip: 'unknown' }));
    expect(bodies[1]).not.toHaveProperty('ip');
  });

  it('words RATE_LIMITED for the window that refused, with Retry-After', async () => {
    const now = Math.floor(Date.now() / 1000);
    const perSecond = {
      ...VALID,
      valid: false,
      code: 'RATE_LIMITED',
      rate_limit: { limit: 300, remaining: 12, reset: now + 40 },
    };
    const { client } = stubClient(() => Response.json(perSecond));
    const second = await new KeysmithGuard({ client }).check(request());
    expect(second).toMatchObject({
      admitted: false,
      status: 429,
      body: { error: 'exceeded the per-second rate limit on your subscription', code: 'RATE_LIMITED' },
      headers: { 'Retry-After': '1', 'RateLimit-Remaining': '12', 'X-RateLimit-Limit': '300' },
    });
    const perMinute = { ...perSecond, rate_limit: { limit: 300, remaining: 0, reset: now + 40 } };
    const minute = await new KeysmithGuard({
      client: stubClient(() => Response.json(perMinute)).client,
    }).check(request());
    expect(minute).toMatchObject({
      status: 429,
      body: { error: 'exceeded the per-minute rate limit on your subscription' },
    });
    const retryAfter = Number(minute.headers['Retry-After']);
    expect(retryAfter).toBeGreaterThanOrEqual(39);
    expect(retryAfter).toBeLessThanOrEqual(41);
  });

  it('words QUOTA_EXCEEDED for the first window without room for the cost', async () => {
    const window = (remaining: number) => ({ limit: 10, used: 10 - remaining, remaining, reset_at: null });
    const result = {
      ...VALID,
      valid: false,
      code: 'QUOTA_EXCEEDED',
      quotas: { total: window(5), daily: window(2), monthly: window(0) },
    };
    const { client } = stubClient(() => Response.json(result));
    const decision = await new KeysmithGuard({ client }).check(request({ cost: 3 }));
    expect(decision).toMatchObject({
      status: 401,
      body: { error: 'Rate limit exceeded: quota daily', code: 'QUOTA_EXCEEDED' },
    });
  });

  it('answers an unknown refusal code as INVALID rather than admitting', async () => {
    const { client } = stubClient(() => Response.json({ ...VALID, valid: false, code: 'SOMETHING_NEW' }));
    const decision = await new KeysmithGuard({ client }).check(request());
    expect(decision).toMatchObject({ admitted: false, status: 401, body: { code: 'INVALID' } });
  });

  it('fails closed when Keysmith refuses the client itself, even with fail-open on', async () => {
    let answer: () => Response = () => Response.json(VALID);
    const { client } = stubClient(() => answer());
    const onError = vi.fn<(error: KeysmithError) => void>();
    const guard = new KeysmithGuard({ client, failOpen: true, onError });
    expect((await guard.check(request())).admitted).toBe(true);
    answer = () =>
      Response.json({ error: 'Revoked API Key', code: 'REVOKED', request_id: 'req_x' }, { status: 401 });
    const decision = await guard.check(request());
    expect(decision).toMatchObject({ admitted: false, status: 503, body: { code: 'UNAVAILABLE' } });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ status: 401, code: 'REVOKED' }));
    // A 5xx is unavailability: the remembered key is admitted.
    answer = () => new Response('upstream down', { status: 502 });
    const open = await guard.check(request());
    expect(open).toMatchObject({ admitted: true, verification: { fail_open: true } });
  });

  it('fail-open: forgets a key Keysmith refused as revoked, and keys from another IP are unseen', async () => {
    let answer: () => Response = () => Response.json(VALID);
    const { client } = stubClient(() => answer());
    const guard = new KeysmithGuard({ client, failOpen: { maxAgeSeconds: 60 }, onError: () => {} });
    await guard.check(request());
    answer = () => new Response('', { status: 503 });
    expect((await guard.check(request({ ip: '198.51.100.1' }))).admitted).toBe(false);
    expect((await guard.check(request())).admitted).toBe(true);
    answer = () => Response.json({ ...VALID, valid: false, code: 'REVOKED' });
    expect(await guard.check(request())).toMatchObject({ status: 401, body: { code: 'REVOKED' } });
    answer = () => new Response('', { status: 503 });
    expect(await guard.check(request())).toMatchObject({ status: 503 });
  });

  it('fail-open: refuses a remembered key whose expiry has passed', async () => {
    let answer: () => Response = () =>
      Response.json({ ...VALID, expires_at: new Date(Date.now() + 50).toISOString() });
    const { client } = stubClient(() => answer());
    const guard = new KeysmithGuard({ client, failOpen: true, onError: () => {} });
    expect((await guard.check(request())).admitted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    answer = () => new Response('', { status: 500 });
    expect(await guard.check(request())).toMatchObject({ status: 401, body: { code: 'EXPIRED' } });
  });

  it('answers 503 even when the error reporter itself throws', async () => {
    const { client } = stubClient(() => new Response('down', { status: 500 }));
    const guard = new KeysmithGuard({
      client,
      onError: () => {
        throw new Error('reporter broke');
      },
    });
    expect(await guard.check(request())).toMatchObject({ admitted: false, status: 503 });
  });

  it('refuses what it can decide locally without calling Keysmith', async () => {
    const { client, calls } = stubClient(() => Response.json(VALID));
    const guard = new KeysmithGuard({ client });
    const truncated = KEY.slice(0, -1);
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${truncated}`, KEY]) {
      const decision = await guard.check(request({ authorization }));
      expect(decision.admitted).toBe(false);
    }
    expect(calls()).toBe(0);
  });

  it('rejects bad settings when the middleware is created', () => {
    const { client } = stubClient(() => Response.json(VALID));
    expect(() => new KeysmithGuard({ client, scopes: ['Tasks:Read'] })).toThrow(/resource:action/);
    expect(() => new KeysmithGuard({ client, cost: 1.5 })).toThrow(/cost/);
    expect(() => new KeysmithGuard({ client, cost: 1001 })).toThrow(/cost/);
    expect(() => new KeysmithGuard({ client, failOpen: { maxAgeSeconds: 0 } })).toThrow(/maxAgeSeconds/);
    expect(() => new KeysmithGuard({} as never)).toThrow(/client/);
  });
});
