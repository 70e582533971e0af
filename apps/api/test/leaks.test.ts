/**
 * Leaked-key response (§11, issue 13) over real HTTP: `POST /v1/leaks` with GitHub's payload
 * and signature headers (a test key pair), the leak policies, the records each true positive
 * leaves, false positives that give nothing away, the per-IP limit of unsigned reports, hostile
 * input, and the admin's "Report as leaked". Across two processes: leaks-multiprocess.test.ts.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checksumBase62, generateApiKey } from '@keysmith/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { Event } from '../src/modules/event/event.entity.js';
import { parseScannerPublicKeys } from '../src/modules/leak/scanner-keys.js';
import { SecurityEvent } from '../src/modules/security/security-event.entity.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const SCANNER_KEY_ID = 'f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d';

function ecKeyPair(): { privateKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const scanner = ecKeyPair();
const stranger = ecKeyPair();
let keysDir: string;
let app: TestApp;
let base: string;
let receiver: Receiver;
let fx: OrgFixture;
type Caller = Awaited<ReturnType<TestApp['caller']>>;
let owner: Caller;
let ipCounter = 0;

beforeAll(async () => {
  keysDir = mkdtempSync(path.join(tmpdir(), 'ks-leaks-'));
  const file = path.join(keysDir, 'secret-scanning-keys.json');
  writeFileSync(
    file,
    JSON.stringify({
      public_keys: [{ key_identifier: SCANNER_KEY_ID, key: scanner.publicPem, is_current: true }],
    }),
  );
  app = await createTestApp({
    LEAK_SCANNER_PUBLIC_KEYS: file,
    LEAK_REPORT_MAX_PER_IP: '3',
    TRUST_PROXY_HOPS: '1',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_WORKER_PERIOD_MS: '20',
    WEBHOOK_BACKOFF_SCALE: '0.001',
  });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  receiver = await startReceiver();
  fx = await createOrgFixture(app, { plan: 'team' });
  owner = await app.caller(fx.owner.cookie);
  await owner.webhook.create({
    orgId: fx.orgId,
    url: `${receiver.url}/${fx.orgId}`,
    events: ['key.leaked', 'key.revoked'],
  });
});
afterAll(async () => {
  await app.shutdown();
  await receiver.close();
  rmSync(keysDir, { recursive: true, force: true });
});

/** A fresh client IP per request unless given, so the unsigned limit is only hit on purpose. */
function nextIp(): string {
  ipCounter += 1;
  return `203.0.113.${ipCounter % 250}`;
}

interface Report {
  token: string;
  type?: string;
  url?: string;
  source?: string;
}

async function post(
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(`${base}/v1/leaks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp(), ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

function signed(
  body: string,
  key: KeyObject = scanner.privateKey,
  keyId = SCANNER_KEY_ID,
): Record<string, string> {
  return {
    'Github-Public-Key-Identifier': keyId,
    'Github-Public-Key-Signature': sign('sha256', Buffer.from(body), key).toString('base64'),
  };
}

async function report(reports: Report[], how: 'signed' | 'unsigned' = 'signed', ip?: string) {
  const body = JSON.stringify(reports);
  return post(body, {
    ...(how === 'signed' ? signed(body) : {}),
    ...(ip ? { 'x-forwarded-for': ip } : {}),
  });
}

let counter = 0;
async function newKey(fixture: OrgFixture = fx, c: Caller = owner) {
  counter += 1;
  return c.key.create({ orgId: fixture.orgId, spaceId: fixture.spaceId, name: `leaky-${counter}` });
}

/** A token that parses (valid checksum) with `id16` and a random secret. */
function forged(id16: string): string {
  const body = `sk_live_${id16}.${generateApiKey({ prefix: 'sk', environment: 'live' }).secret}`;
  return body + checksumBase62(body);
}

async function statusOf(keyId: string) {
  return (await owner.key.byId({ orgId: fx.orgId, keyId })).status;
}

async function callWith(key: string) {
  const res = await fetch(`${base}/v1/rate-limit`, {
    headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': nextIp() },
  });
  return { status: res.status, code: ((await res.json()) as { code?: string }).code ?? 'VALID' };
}

async function setLeakResponse(leakResponse: 'revoke' | 'deactivate' | 'notify') {
  await owner.keyPolicy.updateOrganization({
    orgId: fx.orgId,
    leakResponse,
    policy: {
      maxLifetimeDays: null,
      requireExpiry: false,
      idleDeactivateDays: null,
      rotationReminderDays: null,
      requireIpAllowlistForLive: false,
    },
  });
}

describe('a signed report from a secret scanner', () => {
  it('revokes the key at once and records a security event, an audit row, a notification and a webhook', async () => {
    const { key, record } = await newKey();
    expect(await callWith(key)).toEqual({ status: 200, code: 'VALID' });
    const url = 'https://github.com/octo-org/octo-repo/blob/2f1e0c9/config/prod.env';
    const answer = await report([{ token: key, type: 'keysmith_api_key', url, source: 'content' }]);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual([{ token_raw: key, token_type: 'keysmith_api_key', label: 'true_positive' }]);
    expect(await callWith(key)).toEqual({ status: 401, code: 'REVOKED' });
    expect(await statusOf(record.id)).toBe('revoked');

    const em = app.db.orm.em.fork();
    const security = await em.find(SecurityEvent, {
      organizationId: fx.orgId,
      kind: 'key_leaked',
      keyId: record.id,
    });
    expect(security).toHaveLength(1);
    expect(security[0]?.details).toMatchObject({
      url,
      source: 'content',
      reported_by: 'secret_scanner',
      scanner_key: SCANNER_KEY_ID,
      response: 'revoke',
      action: 'revoked',
    });
    const audits = await em.find(
      AuditEvent,
      { organizationId: fx.orgId, targetId: record.id },
      { orderBy: { action: 'asc' } },
    );
    expect(audits.map((a) => a.action)).toEqual(['key.create', 'key.leak_reported', 'key.revoke']);
    const leakAudit = audits.find((a) => a.action === 'key.leak_reported');
    expect(leakAudit).toMatchObject({ actorType: 'system', actorId: null });
    expect(leakAudit?.actorLabel).toMatch(/^secret scanner/);
    expect(leakAudit?.after).toMatchObject({ url, reportedBy: 'secret_scanner', action: 'revoked' });

    const notifications = await owner.notification.list({ orgId: fx.orgId });
    const leaked = notifications.data.find((n) => n.type === 'key.leaked' && n.data.key_id === record.id);
    expect(leaked?.data).toMatchObject({ url, source: 'content', response: 'revoke', action: 'revoked' });
    const revokedEvent = notifications.data.find(
      (n) => n.type === 'key.revoked' && n.data.key_id === record.id,
    );
    expect(revokedEvent?.data).toMatchObject({ reason: 'leaked', revoked_by: { type: 'system', id: null } });

    const hooks = await receiver.waitFor(2);
    const bodies = hooks
      .filter((h) => h.path === `/${fx.orgId}`)
      .map((h) => JSON.parse(h.body) as { type: string; data: Record<string, unknown> });
    expect(bodies.find((b) => b.type === 'key.leaked')?.data).toMatchObject({ key_id: record.id, url });
    // The full key is in no record.
    const stored = JSON.stringify([security, audits, notifications, bodies]);
    expect(stored).not.toContain(key.split('.')[1]);
  });

  it('answers 401 for a bad signature, an unknown key, a tampered body or a lone header', async () => {
    const { key, record } = await newKey();
    const body = JSON.stringify([{ token: key, url: 'https://example.com/x' }]);
    const byStranger = await post(body, signed(body, stranger.privateKey));
    expect(byStranger.status).toBe(401);
    expect(byStranger.json).toMatchObject({ code: 'INVALID_SIGNATURE', error: 'Invalid signature' });
    expect((await post(body, signed(body, scanner.privateKey, 'not-a-known-key'))).status).toBe(401);
    const tampered = JSON.stringify([{ token: key, url: 'https://example.com/y' }]);
    expect((await post(tampered, signed(body))).status).toBe(401);
    // Re-serialised JSON is not the signed body either: the signature covers exact bytes.
    const spaced = JSON.stringify(JSON.parse(body), null, 1);
    expect((await post(spaced, signed(body))).status).toBe(401);
    const { 'Github-Public-Key-Signature': sig } = signed(body);
    expect((await post(body, { 'Github-Public-Key-Signature': sig ?? '' })).status).toBe(401);
    expect((await post(body, { 'Github-Public-Key-Identifier': SCANNER_KEY_ID })).status).toBe(401);
    expect(
      (await post(body, { ...signed(body), 'Github-Public-Key-Signature': 'bm90IGEgc2lnbmF0dXJl' })).status,
    ).toBe(401);
    // None of these touched the key.
    expect(await statusOf(record.id)).toBe('active');
    expect(await callWith(key)).toEqual({ status: 200, code: 'VALID' });
  });

  it('labels unknown and wrong tokens false_positive, in order, with the same answer shape', async () => {
    const { key, record } = await newKey();
    const id16 = record.id.slice(4);
    const wrongSecret = forged(id16);
    const unknownId = forged('Zz9Yy8Xx7Ww6Vv5U');
    const reports = [
      { token: unknownId },
      { token: wrongSecret },
      { token: 'sk_live_not-a-key' },
      { token: `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` },
    ];
    const answer = await report(reports);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(
      reports.map((r) => ({ token_raw: r.token, token_type: 'keysmith_api_key', label: 'false_positive' })),
    );
    expect(await statusOf(record.id)).toBe('active');
    const em = app.db.orm.em.fork();
    expect(await em.count(SecurityEvent, { kind: 'key_leaked', keyId: record.id })).toBe(0);
  });

  it('takes the same time for an unknown id as for a wrong secret (same lookup, constant-time compare)', async () => {
    const { record } = await newKey();
    const known = forged(record.id.slice(4));
    const timings = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 40; i++) {
      // Both kinds in each round, in a random order, so drift and warm-up hit both alike.
      const kinds = Math.random() < 0.5 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
      for (const kind of kinds) {
        const token =
          kind === 'known'
            ? known
            : forged(generateApiKey({ prefix: 'sk', environment: 'live' }).keyId.slice(4));
        const started = performance.now();
        const answer = await report([{ token }]);
        timings[kind].push(performance.now() - started);
        expect(answer.json).toEqual([
          { token_raw: token, token_type: 'keysmith_api_key', label: 'false_positive' },
        ]);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const [k, u] = [median(timings.known), median(timings.unknown)];
    console.info(`[leaks] false positive median: known id ${k.toFixed(2)} ms, unknown id ${u.toFixed(2)} ms`);
    expect(Math.abs(k - u)).toBeLessThan(Math.max(2, 0.5 * Math.min(k, u)));
  });
});

describe('leak policies', () => {
  it('deactivates under `deactivate`, only records under `notify`, and records a re-sent report once', async () => {
    await setLeakResponse('deactivate');
    const first = await newKey();
    expect((await report([{ token: first.key, url: 'https://gist.github.com/a' }])).json).toMatchObject([
      { label: 'true_positive' },
    ]);
    expect(await statusOf(first.record.id)).toBe('inactive');
    expect(await callWith(first.key)).toEqual({ status: 401, code: 'INACTIVE' });

    await setLeakResponse('notify');
    const second = await newKey();
    const url = 'https://gist.github.com/b';
    expect((await report([{ token: second.key, url }])).json).toMatchObject([{ label: 'true_positive' }]);
    expect((await report([{ token: second.key, url }])).json).toMatchObject([{ label: 'true_positive' }]);
    expect(await statusOf(second.record.id)).toBe('active');
    const em = app.db.orm.em.fork();
    const events = await em.find(Event, { organizationId: fx.orgId, type: 'key.leaked' });
    const forSecond = events.filter((e) => e.payload.key_id === second.record.id);
    expect(forSecond).toHaveLength(1);
    expect(forSecond[0]?.payload).toMatchObject({ response: 'notify', action: 'none', url });
    expect(await em.count(SecurityEvent, { kind: 'key_leaked', keyId: second.record.id })).toBe(1);
    // Found somewhere else: recorded again.
    await report([{ token: second.key, url: 'https://gist.github.com/c' }]);
    expect(await em.fork().count(SecurityEvent, { kind: 'key_leaked', keyId: second.record.id })).toBe(2);
    await setLeakResponse('revoke');
  });
});

describe('unsigned reports', () => {
  it('are accepted from anyone holding the key, and limited per IP', async () => {
    const { key, record } = await newKey();
    const ip = '192.0.2.77';
    const answer = await report([{ token: key }], 'unsigned', ip);
    expect(answer.json).toEqual([{ token_raw: key, token_type: 'keysmith_api_key', label: 'true_positive' }]);
    expect(await statusOf(record.id)).toBe('revoked');
    const audit = await app.db.orm.em
      .fork()
      .findOne(AuditEvent, { targetId: record.id, action: 'key.leak_reported' });
    expect(audit).toMatchObject({ actorLabel: 'leak report', ip });
    await report([{ token: 'x' }], 'unsigned', ip);
    await report([{ token: 'x' }], 'unsigned', ip);
    const limited = await report([{ token: 'x' }], 'unsigned', ip);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address, and signed reports from this one, are not limited.
    expect((await report([{ token: 'x' }], 'unsigned')).status).toBe(200);
    expect((await report([{ token: 'x' }], 'signed', ip)).status).toBe(200);
  });
});

describe('hostile input', () => {
  it('answers malformed bodies with the §5 error shapes', async () => {
    const expectCode = async (
      answer: Promise<{ status: number; json: unknown }>,
      status: number,
      code: string,
    ) => {
      const a = await answer;
      expect(a.status).toBe(status);
      expect(a.json).toMatchObject({ code, request_id: expect.stringMatching(/^req_/) });
    };
    await expectCode(post('{"token": "x"}'), 400, 'VALIDATION');
    await expectCode(post('[]'), 400, 'VALIDATION');
    await expectCode(post('[{"url": "https://x"}]'), 400, 'VALIDATION');
    await expectCode(post('[{"token": "x", "url": "https://x\\u0000y"}]'), 400, 'VALIDATION');
    await expectCode(post('[{"token": '), 400, 'VALIDATION');
    await expectCode(
      post(JSON.stringify(Array.from({ length: 101 }, () => ({ token: 'x' })))),
      400,
      'VALIDATION',
    );
    const res = await fetch(`${base}/v1/leaks`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': nextIp() },
      body: 'sk_live_x',
    });
    expect(res.status).toBe(415);
    // The raw-body parser keeps the 1 MiB limit of every /v1 body.
    await expectCode(
      post(JSON.stringify([{ token: 'x', url: 'u'.repeat(1024 * 1024) }])),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    // GitHub's future fields are ignored, not refused.
    expect(
      (await report([{ token: 'x', type: 't', url: 'u', source: 's', extra: 1 } as Report])).status,
    ).toBe(200);
  });

  it('never fails with a 500, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc
            .array(
              fc.record({
                token: fc.string({ maxLength: 80 }),
                url: fc.option(fc.string(), { nil: undefined }),
              }),
              {
                maxLength: 3,
              },
            )
            .map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 200 }),
        ),
        async (body) => {
          const answer = await post(body, signed(body));
          expect([200, 400]).toContain(answer.status);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the keys file', () => {
  it('accepts the shape GitHub publishes and refuses anything but P-256 keys', () => {
    expect(
      parseScannerPublicKeys(JSON.stringify([{ key_identifier: 'a', key: scanner.publicPem }])).has('a'),
    ).toBe(true);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    expect(() => parseScannerPublicKeys(JSON.stringify([{ key_identifier: 'r', key: rsa }]))).toThrow(
      'key r is not an ECDSA P-256 key',
    );
    expect(() => parseScannerPublicKeys('{"keys": []}')).toThrow('public_keys');
    expect(() => parseScannerPublicKeys('nope')).toThrow('not valid JSON');
  });
});

describe('"Report as leaked" in the admin', () => {
  it('runs the same path: a key of this organization is revoked and named in the answer', async () => {
    const { key, record } = await newKey();
    const answer = await owner.key.reportLeak({ orgId: fx.orgId, token: key });
    expect(answer).toEqual({ label: 'true_positive', keyId: record.id, action: 'revoked' });
    expect(await callWith(key)).toEqual({ status: 401, code: 'REVOKED' });
    const audit = await app.db.orm.em
      .fork()
      .findOne(AuditEvent, { targetId: record.id, action: 'key.leak_reported' });
    expect(audit?.actorLabel).toBe(`leak report by ${fx.owner.email}`);
    expect(audit?.after).toMatchObject({ reportedBy: 'member', reporterUserId: fx.owner.id });
    const security = await owner.security.list({ orgId: fx.orgId, kind: 'key_leaked' });
    expect(security.items.find((e) => e.keyId === record.id)?.details).toMatchObject({
      reported_by: 'member',
    });
    expect(await owner.key.reportLeak({ orgId: fx.orgId, token: forged('AAAAbbbbCCCCdddd') })).toEqual({
      label: 'false_positive',
      keyId: null,
      action: null,
    });
  });

  it("stops another organization's key without telling the reporter anything about it", async () => {
    const other = await createOrgFixture(app, { plan: 'team' });
    const otherOwner = await app.caller(other.owner.cookie);
    const { key, record } = await newKey(other, otherOwner);
    expect(await owner.key.reportLeak({ orgId: fx.orgId, token: key })).toEqual({
      label: 'true_positive',
      keyId: null,
      action: null,
    });
    expect((await otherOwner.key.byId({ orgId: other.orgId, keyId: record.id })).status).toBe('revoked');
    const audit = await app.db.orm.em
      .fork()
      .findOne(AuditEvent, { targetId: record.id, action: 'key.leak_reported' });
    expect(audit?.actorLabel).toBe('leak report');
    expect(JSON.stringify(audit)).not.toContain(fx.owner.email);
  });
});
