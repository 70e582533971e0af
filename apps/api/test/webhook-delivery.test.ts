/**
 * Webhook delivery over real HTTP (§7): retries with back-off until a 2xx, then exactly once;
 * signatures the documented snippet verifies; nothing for rolled-back events; no redirects;
 * private targets refused after DNS resolution, and the connection pinned to the checked
 * address. The retry schedule runs at 1/1000 of its real length (WEBHOOK_BACKOFF_SCALE).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.js';
import { EVENT_TYPES, Event } from '../src/modules/event/event.entity.js';
import { emitEvent } from '../src/modules/event/event.service.js';
import { verifyKeysmithSignature } from '../src/modules/webhook/verify-signature.example.js';
import { WebhookDelivery, WebhookEndpoint } from '../src/modules/webhook/webhook.entity.js';
import { secretContext } from '../src/modules/webhook/webhook.service.js';
import { MAX_DELIVERY_ATTEMPTS } from '../src/modules/webhook/webhook-retry.js';
import { sendWebhook } from '../src/modules/webhook/webhook-sender.js';
import { signatureHeader } from '../src/modules/webhook/webhook-signature.js';
import { startWebhookWorker } from '../src/modules/webhook/webhook-worker.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { eventually, type Receiver, startReceiver } from './webhook-receiver.js';

const SCALE = 0.001;
/** Short, for the receiver that never answers; long enough for a loaded PGlite test process. */
const TIMEOUT_MS = 1000;

let app: TestApp;
const receivers: Receiver[] = [];

beforeAll(async () => {
  app = await createTestApp({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_BACKOFF_SCALE: String(SCALE),
    WEBHOOK_WORKER_PERIOD_MS: '20',
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  });
});
afterAll(async () => {
  await app.shutdown();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(handler?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(handler);
  receivers.push(r);
  return r;
}

async function endpointFor(
  fx: OrgFixture,
  url: string,
  events: string[],
): Promise<{ id: string; secret: string }> {
  const c = await app.caller(fx.owner.cookie);
  const { endpoint, secret } = await c.webhook.create({ orgId: fx.orgId, url, events });
  return { id: endpoint.id, secret };
}

function deliveryRows(endpointId: string): Promise<WebhookDelivery[]> {
  return app.db.orm.em
    .fork()
    .find(WebhookDelivery, { endpoint: endpointId }, { orderBy: { createdAt: 'asc' } });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhook delivery', () => {
  it('sends a test event to one endpoint on demand, signed, and logs its delivery', async () => {
    const fx = await createOrgFixture(app);
    const c = await app.caller(fx.owner.cookie);
    const r = await receiver((_req, res) => res.writeHead(200).end('ok'));
    // Subscribed to something else entirely: a test event goes to this endpoint regardless.
    const { id: endpointId, secret } = await endpointFor(fx, `${r.url}/hooks`, ['ip.blocked']);
    const queued = await c.webhook.sendTest({ orgId: fx.orgId, endpointId });
    expect(queued).toMatchObject({ endpointId, eventType: 'webhook.test', status: 'pending', attempts: 0 });
    await r.waitFor(1);
    const [request] = r.requests;
    const body = JSON.parse(request?.body ?? '{}') as { type?: string; data?: { endpoint_id?: string } };
    expect(body.type).toBe('webhook.test');
    expect(body.data?.endpoint_id).toBe(endpointId);
    expect(
      verifyKeysmithSignature(request?.body ?? '', String(request?.headers['keysmith-signature']), secret),
    ).toBe(true);
    const log = await eventually(async () => {
      const page = await c.webhook.deliveries({ orgId: fx.orgId, endpointId });
      return page.data[0]?.status === 'delivered' ? page.data : undefined;
    });
    expect(log[0]).toMatchObject({ id: queued.id, eventType: 'webhook.test', lastStatusCode: 200 });
    // Not a notification, and another organization's endpoint is not found.
    expect((await c.notification.list({ orgId: fx.orgId })).data).toHaveLength(0);
    const other = await createOrgFixture(app);
    const otherCaller = await app.caller(other.owner.cookie);
    await expect(otherCaller.webhook.sendTest({ orgId: other.orgId, endpointId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('retries a failing receiver with back-off and delivers exactly once after a 2xx', async () => {
    const fx = await createOrgFixture(app);
    const c = await app.caller(fx.owner.cookie);
    const r = await receiver((req, res, n) => {
      if (n === 0) res.writeHead(500, { 'content-type': 'text/plain' }).end('boom\nstack trace');
      else if (n === 1)
        req.socket.destroy(); // connection reset
      else if (n === 2)
        return; // never answers: the attempt times out
      else res.writeHead(204).end();
    });
    const { id: endpointId, secret } = await endpointFor(fx, `${r.url}/hooks?source=keysmith`, [
      'key.revoked',
    ]);
    const { key, record } = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Doomed' });

    // Every outcome is recorded before the next attempt; watch them go by.
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const d of await deliveryRows(endpointId))
          seen.add(`${d.attempts}|${d.lastStatusCode}|${d.lastError}`);
        await sleep(5);
      }
    })();

    await c.key.revoke({ orgId: fx.orgId, keyId: record.id });
    await r.waitFor(4);
    const [delivery] = await eventually(async () => {
      const rows = await deliveryRows(endpointId);
      return rows[0]?.status === 'delivered' ? rows : undefined;
    });
    await sleep(300);
    watching = false;
    await watcher;

    // Exactly four attempts, one delivery, nothing after the 2xx.
    expect(r.requests).toHaveLength(4);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastStatusCode: 204,
      lastError: null,
    });
    expect(delivery?.deliveredAt).toBeInstanceOf(Date);
    expect([...seen]).toEqual(
      expect.arrayContaining([
        '1|500|HTTP 500: boom stack trace',
        expect.stringMatching(/^2\|null\|.*(ECONNRESET|socket hang up)/),
        `3|null|timed out after ${TIMEOUT_MS} ms`,
        '4|204|null',
      ]),
    );

    // Back-off: at least the (jittered, scaled) wait of the schedule between attempts.
    const at = r.requests.map((q) => q.at);
    const gap = (i: number) => (at[i] ?? 0) - (at[i - 1] ?? 0);
    expect(gap(1)).toBeGreaterThanOrEqual(0.9 * 60_000 * SCALE - 5);
    expect(gap(2)).toBeGreaterThanOrEqual(0.9 * 240_000 * SCALE - 5);
    expect(gap(3)).toBeGreaterThanOrEqual(TIMEOUT_MS + 0.9 * 600_000 * SCALE - 5);

    // The same event, with the documented headers, every time.
    const event = await app.db.orm.em
      .fork()
      .findOneOrFail(Event, { organizationId: fx.orgId, type: 'key.revoked' });
    for (const q of r.requests) {
      expect(q.method).toBe('POST');
      expect(q.path).toBe('/hooks?source=keysmith');
      expect(q.headers['content-type']).toBe('application/json');
      expect(q.headers['user-agent']).toBe('Keysmith-Webhooks/1');
      expect(q.headers['keysmith-event-id']).toBe(event.id);
      expect(q.headers['keysmith-event-type']).toBe('key.revoked');
      expect(q.headers['keysmith-delivery-id']).toBe(delivery?.id);
      expect(q.body).toBe(r.requests[0]?.body);
    }
    const body = JSON.parse(r.requests[3]?.body ?? '{}');
    expect(body).toEqual({
      id: event.id,
      type: 'key.revoked',
      created_at: event.createdAt.toISOString(),
      organization_id: fx.orgId,
      data: {
        key_id: record.id,
        key_name: 'Doomed',
        space_id: fx.spaceId,
        environment: 'live',
        preview: record.preview,
        expires_at: null,
        revoked_at: expect.any(String),
        revoked_by: { type: 'user', id: fx.owner.id },
        reason: 'revoked',
      },
    });
    expect(r.requests[3]?.body).not.toContain(key.split('.')[1]);

    // The signature verifies with the documented snippet; tampering or age does not.
    const last = r.requests[3];
    const header = String(last?.headers['keysmith-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyKeysmithSignature(last?.body ?? '', header, secret)).toBe(true);
    expect(verifyKeysmithSignature(Buffer.from(last?.body ?? ''), header, secret)).toBe(true);
    expect(verifyKeysmithSignature(`${last?.body} `, header, secret)).toBe(false);
    expect(verifyKeysmithSignature((last?.body ?? '').replace('Doomed', 'Dooned'), header, secret)).toBe(
      false,
    );
    expect(verifyKeysmithSignature(last?.body ?? '', header, `${secret}x`)).toBe(false);
    expect(verifyKeysmithSignature(last?.body ?? '', undefined, secret)).toBe(false);
    const t = Number(/t=(\d+)/.exec(header)?.[1]);
    expect(verifyKeysmithSignature(last?.body ?? '', header, secret, 300, t + 301)).toBe(false);
    const now = Math.floor(Date.now() / 1000);
    const old = signatureHeader([secret], last?.body ?? '', now - 301);
    expect(verifyKeysmithSignature(last?.body ?? '', old, secret)).toBe(false);
    const recent = signatureHeader([secret], last?.body ?? '', now - 299);
    expect(verifyKeysmithSignature(last?.body ?? '', recent, secret)).toBe(true);

    // The delivery log shows it; a manual redelivery sends the same event once more.
    const page = await c.webhook.deliveries({ orgId: fx.orgId, endpointId });
    expect(page.data).toEqual([
      expect.objectContaining({ id: delivery?.id, status: 'delivered', attempts: 4, lastStatusCode: 204 }),
    ]);
    const again = await c.webhook.redeliver({ orgId: fx.orgId, deliveryId: delivery?.id ?? '' });
    expect(again).toMatchObject({ status: 'pending', attempts: 0, eventId: event.id });
    await r.waitFor(5);
    expect(r.requests[4]?.headers['keysmith-event-id']).toBe(event.id);
    expect(r.requests[4]?.headers['keysmith-delivery-id']).toBe(again.id);
    await eventually(async () => (await deliveryRows(endpointId)).every((d) => d.status === 'delivered'));
    await sleep(200);
    expect(r.requests).toHaveLength(5);
  });

  it('delivers nothing for an event whose transaction rolled back', async () => {
    const fx = await createOrgFixture(app);
    const r = await receiver();
    const { id: endpointId } = await endpointFor(fx, r.url, ['key.expired']);
    const em = app.db.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        await emitEvent(tx, fx.orgId, 'key.expired', { key_id: 'key_rolledback' });
        await tx.flush();
        throw new Error('the cause failed');
      }),
    ).rejects.toThrow('the cause failed');
    // A committed event afterwards is delivered, so the worker was running all along.
    const committed = em.fork();
    const control = await emitEvent(committed, fx.orgId, 'key.expired', { key_id: 'key_committed' });
    await committed.flush();
    await r.waitFor(1);
    await sleep(300);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]?.headers['keysmith-event-id']).toBe(control.id);
    const events = await app.db.orm.em.fork().find(Event, { organizationId: fx.orgId });
    expect(events.map((e) => e.payload.key_id)).toEqual(['key_committed']);
    expect(await deliveryRows(endpointId)).toHaveLength(1);
  });

  it('never follows redirects: a 3xx is a failure, recorded, and retried', async () => {
    const fx = await createOrgFixture(app);
    const elsewhere = await receiver();
    const r = await receiver((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/stolen` }).end();
    });
    const { id: endpointId } = await endpointFor(fx, r.url, ['key.expired']);
    const em = app.db.orm.em.fork();
    await emitEvent(em, fx.orgId, 'key.expired', { key_id: 'key_redirect' });
    await em.flush();
    await r.waitFor(1);
    const [failed] = await eventually(async () => {
      const rows = await deliveryRows(endpointId);
      return rows[0]?.lastStatusCode === 302 ? rows : undefined;
    });
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 302 });
    expect(failed?.lastError).toBe(`HTTP 302: redirect to ${elsewhere.url}/stolen not followed`);
    r.setHandler((_req, res) => res.writeHead(200).end());
    await eventually(async () => (await deliveryRows(endpointId))[0]?.status === 'delivered');
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('gives up after the last attempt and marks the delivery failed', async () => {
    const fx = await createOrgFixture(app);
    const r = await receiver((_req, res) => res.writeHead(503).end('down'));
    const { id: endpointId } = await endpointFor(fx, r.url, ['key.expired']);
    const em = app.db.orm.em.fork();
    // As if every attempt but the last had already failed (the full schedule takes a day).
    await emitEvent(em, fx.orgId, 'key.expired', { key_id: 'key_gone' }, new Date(Date.now() + 3_600_000));
    await em.flush();
    await em.nativeUpdate(
      WebhookDelivery,
      { endpoint: endpointId },
      { attempts: MAX_DELIVERY_ATTEMPTS - 1, nextAttemptAt: new Date() },
    );
    await r.waitFor(1);
    const [row] = await eventually(async () => {
      const rows = await deliveryRows(endpointId);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    expect(row).toMatchObject({
      attempts: MAX_DELIVERY_ATTEMPTS,
      lastStatusCode: 503,
      lastError: 'HTTP 503: down',
    });
    await sleep(200);
    expect(r.requests).toHaveLength(1);
  });

  it('signs with both secrets while a rotated-out secret overlaps, then with the new one only', async () => {
    const fx = await createOrgFixture(app);
    const c = await app.caller(fx.owner.cookie);
    const r = await receiver();
    const { id: endpointId, secret: first } = await endpointFor(fx, r.url, ['key.expired']);
    const { secret: second } = await c.webhook.rotateSecret({
      orgId: fx.orgId,
      endpointId,
      overlapSeconds: 600,
    });
    const em = app.db.orm.em.fork();
    await emitEvent(em, fx.orgId, 'key.expired', { key_id: 'key_a' });
    await em.flush();
    const [during] = await r.waitFor(1);
    const header = String(during?.headers['keysmith-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyKeysmithSignature(during?.body ?? '', header, first)).toBe(true);
    expect(verifyKeysmithSignature(during?.body ?? '', header, second)).toBe(true);

    const { secret: third } = await c.webhook.rotateSecret({ orgId: fx.orgId, endpointId });
    await emitEvent(em, fx.orgId, 'key.expired', { key_id: 'key_b' });
    await em.flush();
    const after = (await r.waitFor(2))[1];
    const header2 = String(after?.headers['keysmith-signature']);
    expect(header2).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyKeysmithSignature(after?.body ?? '', header2, third)).toBe(true);
    expect(verifyKeysmithSignature(after?.body ?? '', header2, second)).toBe(false);
  });

  it('sends each attempt once with several workers claiming the same deliveries', async () => {
    const fx = await createOrgFixture(app);
    const r = await receiver();
    await endpointFor(fx, r.url, ['key.expired']);
    const log = pino({ level: 'silent' });
    const options = { periodMs: 5, timeoutMs: 2000, backoffScale: SCALE, concurrency: 4, allowPrivate: true };
    const extra = [1, 2, 3].map(() => startWebhookWorker(app.db.orm, app.services.secretBox, log, options));
    const em = app.db.orm.em.fork();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push((await emitEvent(em, fx.orgId, 'key.expired', { key_id: `key_${i}` })).id);
    await em.flush();
    await r.waitFor(30);
    await eventually(async () => {
      const rows = await app.db.orm.em.fork().find(WebhookDelivery, { event: { $in: ids } });
      return rows.length === 30 && rows.every((d) => d.status === 'delivered');
    });
    await Promise.all(extra.map((w) => w.stop()));
    const got = r.requests.map((q) => String(q.headers['keysmith-event-id']));
    expect(new Set(got)).toEqual(new Set(ids));
    // One request per recorded attempt: no attempt was sent by two workers. (An attempt that
    // timed out on a stalled event loop is retried, so an event may arrive more than once.)
    const rows = await app.db.orm.em.fork().find(WebhookDelivery, { event: { $in: ids } });
    expect(got).toHaveLength(rows.reduce((sum, d) => sum + d.attempts, 0));
  });
});

describe('private targets at delivery time', () => {
  it('pins the connection to the address it checked, for every resolved address', async () => {
    const r = await receiver();
    const request = { url: `http://receiver.keysmith.test:${r.port}/in`, body: '{}', headers: {} };
    let lookups = 0;
    const resolve = async () => {
      lookups += 1;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    // The name does not exist in DNS: the request can only have gone to the pinned address.
    const sent = await sendWebhook(request, { timeoutMs: 2000, allowPrivate: true, resolve });
    expect(sent).toEqual({ ok: true, statusCode: 200, error: null });
    expect(lookups).toBe(1);
    expect(r.requests[0]?.headers.host).toBe(`receiver.keysmith.test:${r.port}`);

    const refused = await sendWebhook(request, { timeoutMs: 2000, allowPrivate: false, resolve });
    expect(refused.ok).toBe(false);
    expect(refused.error).toBe(
      'refused: receiver.keysmith.test resolves to 127.0.0.1, which is not a public address',
    );
    // One private address among public ones is enough to refuse.
    const mixed = await sendWebhook(request, {
      timeoutMs: 2000,
      allowPrivate: false,
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '::ffff:10.0.0.1', family: 6 },
      ],
    });
    expect(mixed.error).toMatch(/resolves to ::ffff:10\.0\.0\.1/);
    expect(r.requests).toHaveLength(1);
  });

  it('refuses localhost and loopback literals when private targets are not allowed', async () => {
    const r = await receiver();
    for (const url of [
      `http://localhost:${r.port}/`,
      `http://127.0.0.1:${r.port}/`,
      `http://[::1]:${r.port}/`,
    ]) {
      const result = await sendWebhook(
        { url, body: '{}', headers: {} },
        { timeoutMs: 2000, allowPrivate: false },
      );
      expect(result.ok, url).toBe(false);
      expect(result.error, url).toMatch(/^refused: .* is not a public address$/);
    }
    expect(r.requests).toHaveLength(0);
  });

  it('records the refusal on the delivery when a stored URL resolves to loopback', async () => {
    const strict = await createTestApp({
      WEBHOOK_BACKOFF_SCALE: String(SCALE),
      WEBHOOK_WORKER_PERIOD_MS: '20',
    });
    try {
      const fx = await createOrgFixture(strict);
      const r = await receiver();
      // Saved under a laxer configuration (create refuses localhost here); DNS decides now.
      const em = strict.db.orm.em.fork();
      const id = newId('whk');
      em.create(WebhookEndpoint, {
        id,
        organization: fx.orgId,
        url: `http://localhost:${r.port}/in`,
        description: '',
        events: ['key.expired'],
        secretCiphertext: strict.services.secretBox.seal('whsec_test', secretContext(id)),
        secretHint: 'whsec_…test',
      });
      await em.flush();
      await emitEvent(em, fx.orgId, 'key.expired', { key_id: 'key_local' });
      await em.flush();
      const row = await eventually(async () => {
        const found = await strict.db.orm.em.fork().findOne(WebhookDelivery, { endpoint: id });
        return found && found.attempts >= 1 && found.lastError ? found : undefined;
      });
      expect(row.status).toBe('pending');
      expect(row.lastError).toMatch(
        /^refused: localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/,
      );
      expect(r.requests).toHaveLength(0);
    } finally {
      await strict.shutdown();
    }
  });
});

describe('docs/webhooks.md', () => {
  it('shows the verification snippet exactly as tested here', () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/webhooks.md'), 'utf8');
    const snippet = readFileSync(
      path.resolve(import.meta.dirname, '../src/modules/webhook/verify-signature.example.ts'),
      'utf8',
    );
    expect(doc).toContain(snippet.trim());
  });

  it('has a row for every event type', () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/webhooks.md'), 'utf8');
    for (const type of EVENT_TYPES)
      expect(doc, type).toMatch(new RegExp(`^\\| \`${type.replace('.', '\\.')}\` \\|`, 'm'));
  });
});
