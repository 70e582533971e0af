import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_OPERATIONS } from '../src/rest/route-table.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture } from './key-fixtures.js';

/**
 * Every `/v1` route fed hostile input (§5: every string from outside is hostile): NUL bytes,
 * lone surrogates, control characters, huge values, wrong types, other tenants' ids, broken
 * JSON and odd key headers. Whatever comes in, the answer is never a 500, and every error has
 * the §5 shape with a request id.
 */

let app: TestApp;
let base: string;
let rootKey = '';
const ids: string[] = [];

/** Strings meant to break things: controls, surrogates, SQL and path tricks, long runs. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\udc00',
    '\ud800x',
    '\u0007\u001b[31m',
    "'; drop table api_keys; --",
    '../../etc/passwd',
    '%00',
    '%zz',
    'key_0000000000000000',
    '999999999999999|1',
    Buffer.from('999999999999999|1').toString('base64url'),
    'x'.repeat(6000),
    '9'.repeat(400),
    '',
    ' ',
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, -1, 0, 2 ** 53, 1e308, Number.MAX_SAFE_INTEGER),
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
const FIELDS = [
  'key',
  'scopes',
  'cost',
  'endpoint',
  'ip',
  'name',
  'description',
  'space_id',
  'category',
  'environment',
  'expires_at',
  'quotas',
  'rate_limit',
  'ip_allowlist',
  'auto_renew',
  'active',
  'grace_period_seconds',
];
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  hostileString,
  fc.constant(''),
);
const QUERY = ['search', 'category', 'environment', 'status', 'page', 'per_page', 'limit', 'cursor'];
const hostileQuery = fc
  .dictionary(fc.constantFrom(...QUERY), hostileString, { maxKeys: 4 })
  .map((q) => new URLSearchParams(q).toString());
/** Header values a client can actually send (HTTP forbids controls and non-Latin-1 in headers). */
const headerValue = fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
const authHeaders = fc.oneof(
  fc.constant<Record<string, string>>({}),
  headerValue.map((v) => ({ authorization: v })),
  headerValue.map((v) => ({ authorization: `Bearer ${v}` })),
  headerValue.map((v) => ({ 'x-api-key': v })),
  fc.constant<Record<string, string>>({ authorization: 'Bearer ', 'x-api-key': '' }),
);

/** Every byte of the UTF-8 form percent-encoded (lone surrogates become U+FFFD's bytes). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

beforeAll(async () => {
  app = await createTestApp({
    TRUST_PROXY_HOPS: '1',
    KEY_MAINTENANCE_PERIOD_MS: '60000',
    IP_BLOCK_MAX_FAILURES: '1000000',
  });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  const fx = await createOrgFixture(app, { plan: 'enterprise', scopes: ['tasks:read', 'admin:*'] });
  const foreign = await createOrgFixture(app, { plan: 'enterprise' });
  const c = await app.caller(fx.owner.cookie);
  const f = await app.caller(foreign.owner.cookie);
  rootKey = (
    await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'fuzz root', scopes: ['admin:*'] })
  ).key;
  for (let i = 0; i < 3; i++) {
    ids.push(
      (await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: `victim ${i}`, scopes: [] })).record
        .id,
    );
  }
  ids.push(
    (await f.key.create({ orgId: foreign.orgId, spaceId: foreign.spaceId, name: 'foreign', scopes: [] }))
      .record.id,
  );
});
afterAll(() => app.shutdown());

async function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; json: Record<string, unknown> | null; text: string }> {
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers: { 'x-forwarded-for': '203.0.113.200', ...headers },
    ...(body === undefined || method === 'GET' || method === 'DELETE' ? {} : { body }),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

function assertAnswer(answer: { status: number; json: Record<string, unknown> | null; text: string }): void {
  expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.json, answer.text.slice(0, 300)).toMatchObject({
      error: expect.any(String),
      code: expect.any(String),
      request_id: expect.stringMatching(/^req_/),
    });
  }
}

const keyed = REST_OPERATIONS.filter((op) => op.auth !== 'public');

describe('fuzzing every /v1 route', () => {
  it.each(keyed.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s never answers 500 and always answers errors in the §5 shape',
    async (_name, op) => {
      const idArb = fc.oneof(
        fc.constantFrom(...ids),
        hostileString.map(percentEncode),
        fc.constantFrom('key_%00', '%ED%B0%80', '%C0%AF', 'key_%FF'),
      );
      await fc.assert(
        fc.asyncProperty(
          idArb,
          hostileQuery,
          hostileBody,
          authHeaders,
          fc.boolean(),
          async (id, query, body, headers, useRoot) => {
            const path = op.path.replace('{id}', id) + (query ? `?${query}` : '');
            const auth = useRoot ? { authorization: `Bearer ${rootKey}` } : headers;
            const contentType =
              body === '' || body.startsWith('{') || body.startsWith('[') ? 'application/json' : 'text/plain';
            assertAnswer(await send(op.method, path, { ...auth, 'content-type': contentType }, body));
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it('answers unknown paths and methods in the §5 shape', async () => {
    assertAnswer(await send('GET', '/nope', {}, undefined));
    assertAnswer(await send('PUT', '/api-keys', { authorization: `Bearer ${rootKey}` }, '{}'));
  });
});
