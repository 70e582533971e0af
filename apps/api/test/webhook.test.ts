/**
 * Webhook endpoints through the tRPC API (§7): the secret shown once and stored encrypted,
 * URL rules with field errors, update / rotate / delete, all audited. Delivery is in
 * webhook-delivery.test.ts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../src/env.js';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { emitEvent } from '../src/modules/event/event.service.js';
import { WebhookDelivery, WebhookEndpoint } from '../src/modules/webhook/webhook.entity.js';
import { MAX_ENDPOINTS_PER_ORGANIZATION, secretContext } from '../src/modules/webhook/webhook.service.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { fieldErrors, rejection } from './org-fixtures.js';

let app: TestApp;

beforeAll(async () => {
  // The worker never finds anything due here; deliveries are webhook-delivery.test.ts's business.
  app = await createTestApp({ WEBHOOK_WORKER_PERIOD_MS: '60000' });
});
afterAll(() => app.shutdown());

async function owner(): Promise<{ fx: OrgFixture; c: Awaited<ReturnType<TestApp['caller']>> }> {
  const fx = await createOrgFixture(app);
  return { fx, c: await app.caller(fx.owner.cookie) };
}

async function storedCiphertext(endpointId: string): Promise<{ current: string; previous: string | null }> {
  const [row] = await app.db.orm.em
    .fork()
    .execute<{ secret_ciphertext: string; previous_secret_ciphertext: string | null }[]>(
      'select secret_ciphertext, previous_secret_ciphertext from webhook_endpoints where id = ?',
      [endpointId],
    );
  if (!row) throw new Error('no endpoint row');
  return { current: row.secret_ciphertext, previous: row.previous_secret_ciphertext };
}

describe('webhook endpoints', () => {
  it('creates an endpoint and shows its secret once; the secret is stored only encrypted', async () => {
    const { fx, c } = await owner();
    const created = await c.webhook.create({
      orgId: fx.orgId,
      url: 'https://hooks.example.com/keysmith#ignored',
      description: 'Ops channel',
      events: ['key.revoked', 'key.expiring', 'key.revoked'],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.endpoint).toMatchObject({
      url: 'https://hooks.example.com/keysmith',
      description: 'Ops channel',
      events: ['key.expiring', 'key.revoked'],
      active: true,
      secretHint: `whsec_…${created.secret.slice(-4)}`,
      previousSecretExpiresAt: null,
    });

    const listed = await c.webhook.list({ orgId: fx.orgId });
    expect(listed).toEqual([created.endpoint]);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(6));

    const stored = await storedCiphertext(created.endpoint.id);
    expect(stored.current).not.toContain(created.secret.slice(6));
    expect(app.services.secretBox.open(stored.current, secretContext(created.endpoint.id))).toBe(
      created.secret,
    );
    // The entity never loads the ciphertext unless asked.
    const entity = await app.db.orm.em.fork().findOneOrFail(WebhookEndpoint, { id: created.endpoint.id });
    expect(JSON.stringify(entity)).not.toContain(stored.current);

    const audits = await app.db.orm.em
      .fork()
      .find(AuditEvent, { organizationId: fx.orgId, action: 'webhook.create' });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.targetId).toBe(created.endpoint.id);
    expect(JSON.stringify(audits)).not.toContain(created.secret.slice(6));
  });

  it('refuses URLs and events that break the rules, naming the field', async () => {
    const { fx, c } = await owner();
    const refused = async (url: string) =>
      fieldErrors(await rejection(c.webhook.create({ orgId: fx.orgId, url, events: ['key.expired'] })));
    // Plain http outside development (this app runs with NODE_ENV=test, private targets not allowed).
    expect((await refused('http://hooks.example.com/keysmith')).url).toMatch(/https/);
    for (const url of [
      'http://127.0.0.1:8080/in',
      'https://127.0.0.1/in',
      'https://[::1]/in',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/in',
      'https://[fd00::1]/in',
      'https://[::ffff:127.0.0.1]/in',
      'https://localhost/in',
    ]) {
      expect(Object.keys(await refused(url)), url).toEqual(['url']);
    }
    expect((await refused('not a url')).url).toMatch(/full URL/);

    const noEvents = await rejection(
      c.webhook.create({ orgId: fx.orgId, url: 'https://a.example.com', events: [] }),
    );
    expect(noEvents.code).toBe('BAD_REQUEST');
    expect(fieldErrors(noEvents).events).toMatch(/at least one/);
    const unknown = await rejection(
      c.webhook.create({ orgId: fx.orgId, url: 'https://a.example.com', events: ['key.exploded'] }),
    );
    expect(fieldErrors(unknown).events).toMatch(/Unknown event type/);

    const { endpoint } = await c.webhook.create({
      orgId: fx.orgId,
      url: 'https://a.example.com',
      events: ['key.expired'],
    });
    const badUpdate = await rejection(
      c.webhook.update({ orgId: fx.orgId, endpointId: endpoint.id, url: 'https://192.168.0.10/in' }),
    );
    expect(Object.keys(fieldErrors(badUpdate))).toEqual(['url']);
    expect((await c.webhook.list({ orgId: fx.orgId }))[0]?.url).toBe('https://a.example.com/');
  });

  it('updates, rotates and deletes, auditing every change', async () => {
    const { fx, c } = await owner();
    const { endpoint, secret: first } = await c.webhook.create({
      orgId: fx.orgId,
      url: 'https://hooks.example.com/a',
      events: ['key.expired'],
    });
    const updated = await c.webhook.update({
      orgId: fx.orgId,
      endpointId: endpoint.id,
      url: 'https://hooks.example.com/b',
      events: ['key.expired', 'ip.blocked'],
      description: 'moved',
    });
    expect(updated).toMatchObject({
      url: 'https://hooks.example.com/b',
      events: ['key.expired', 'ip.blocked'],
    });
    // An update that changes nothing writes no audit row.
    await c.webhook.update({ orgId: fx.orgId, endpointId: endpoint.id, description: 'moved' });

    const rotated = await c.webhook.rotateSecret({ orgId: fx.orgId, endpointId: endpoint.id });
    expect(rotated.secret).not.toBe(first);
    expect(rotated.endpoint.secretHint).toBe(`whsec_…${rotated.secret.slice(-4)}`);
    expect(rotated.endpoint.previousSecretExpiresAt).toBeNull();
    expect((await storedCiphertext(endpoint.id)).previous).toBeNull();

    const overlapped = await c.webhook.rotateSecret({
      orgId: fx.orgId,
      endpointId: endpoint.id,
      overlapSeconds: 3600,
    });
    const until = Date.parse(overlapped.endpoint.previousSecretExpiresAt ?? '');
    expect(Math.abs(until - (Date.now() + 3_600_000))).toBeLessThan(10_000);
    const stored = await storedCiphertext(endpoint.id);
    const context = secretContext(endpoint.id);
    expect(app.services.secretBox.open(stored.current, context)).toBe(overlapped.secret);
    expect(app.services.secretBox.open(stored.previous ?? '', context)).toBe(rotated.secret);
    const tooLong = await rejection(
      c.webhook.rotateSecret({ orgId: fx.orgId, endpointId: endpoint.id, overlapSeconds: 8 * 86_400 }),
    );
    expect(fieldErrors(tooLong).overlapSeconds).toMatch(/7 days/);

    expect(await c.webhook.delete({ orgId: fx.orgId, endpointId: endpoint.id })).toEqual({ id: endpoint.id });
    expect(await c.webhook.list({ orgId: fx.orgId })).toEqual([]);
    expect((await rejection(c.webhook.delete({ orgId: fx.orgId, endpointId: endpoint.id }))).code).toBe(
      'NOT_FOUND',
    );

    const audits = await app.db.orm.em
      .fork()
      .find(
        AuditEvent,
        { organizationId: fx.orgId, targetId: endpoint.id },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
    expect(audits.map((a) => a.action).sort()).toEqual(
      [
        'webhook.create',
        'webhook.update',
        'webhook.rotate_secret',
        'webhook.rotate_secret',
        'webhook.delete',
      ].sort(),
    );
    const update = audits.find((a) => a.action === 'webhook.update');
    expect(update?.before).toEqual({
      url: 'https://hooks.example.com/a',
      description: '',
      events: ['key.expired'],
    });
    const text = JSON.stringify(audits);
    for (const s of [first, rotated.secret, overlapped.secret]) expect(text).not.toContain(s.slice(6));
  });

  it('disabling an endpoint fails its pending deliveries; redelivery needs it enabled', async () => {
    const { fx, c } = await owner();
    const { endpoint } = await c.webhook.create({
      orgId: fx.orgId,
      url: 'https://hooks.example.invalid/in',
      events: ['key.expired'],
    });
    const em = app.db.orm.em.fork();
    // Due in an hour, so this app's worker leaves it alone.
    const event = await emitEvent(
      em,
      fx.orgId,
      'key.expired',
      { key_id: 'key_x' },
      new Date(Date.now() + 3_600_000),
    );
    await em.flush();
    await c.webhook.update({ orgId: fx.orgId, endpointId: endpoint.id, active: false });
    const page = await c.webhook.deliveries({ orgId: fx.orgId, endpointId: endpoint.id });
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      eventId: event.id,
      eventType: 'key.expired',
      status: 'failed',
      attempts: 0,
      nextAttemptAt: null,
      lastError: 'endpoint disabled before delivery',
    });
    const deliveryId = page.data[0]?.id ?? '';
    expect((await rejection(c.webhook.redeliver({ orgId: fx.orgId, deliveryId }))).code).toBe(
      'PRECONDITION_FAILED',
    );
    // Events while disabled create no deliveries.
    await emitEvent(em, fx.orgId, 'key.expired', { key_id: 'key_y' });
    await em.flush();
    expect(await em.fork().count(WebhookDelivery, { endpoint: endpoint.id })).toBe(1);
  });

  it(`allows at most ${MAX_ENDPOINTS_PER_ORGANIZATION} endpoints per organization`, async () => {
    const { fx, c } = await owner();
    for (let i = 0; i < MAX_ENDPOINTS_PER_ORGANIZATION; i++) {
      await c.webhook.create({
        orgId: fx.orgId,
        url: `https://hooks.example.com/${i}`,
        events: ['key.expired'],
      });
    }
    const refused = await rejection(
      c.webhook.create({ orgId: fx.orgId, url: 'https://hooks.example.com/x', events: ['key.expired'] }),
    );
    expect(refused.code).toBe('PRECONDITION_FAILED');
  });
});

describe('the encryption key setting', () => {
  const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db.example/keysmith' };

  it('is required in production with DATABASE_URL, and must be 32 bytes of base64', () => {
    expect(() => loadEnv(base)).toThrowError(EnvError);
    expect(() => loadEnv(base)).toThrowError(/ENCRYPTION_KEY: required in production with DATABASE_URL/);
    expect(
      loadEnv({ ...base, ENCRYPTION_KEY: randomBytes(32).toString('base64') }).ENCRYPTION_KEY,
    ).toBeDefined();
    expect(() => loadEnv({ ...base, ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toThrowError(
      /ENCRYPTION_KEY: must be 32 bytes/,
    );
    // Embedded database, or not production: the key file under DATA_DIR is used.
    expect(() => loadEnv({ NODE_ENV: 'production' })).not.toThrow();
    expect(() => loadEnv({ ...base, NODE_ENV: 'development' })).not.toThrow();
  });

  it('keeps the server from starting, with a message that says what to do', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@keysmith/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/none' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('ENCRYPTION_KEY: required in production with DATABASE_URL');
    expect(stderr).toContain('openssl rand -base64 32');
  });
});
