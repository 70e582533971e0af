/**
 * The scheduler's key jobs (§2.2, issue 6 point 6) on one database: each due item handled
 * once however often and however concurrently the jobs run, the marker and the event in one
 * transaction, work that fell due during downtime done at the next start. The same with two
 * real processes on the PostgreSQL server is scheduler-multiprocess.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadEnv } from '../src/env.js';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { renewExpiringKeys, revokeEndedGracePeriods } from '../src/modules/api-key/key-maintenance.js';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { Event, type TEventType } from '../src/modules/event/event.entity.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { notifyExpiredKeys, warnExpiringKeys } from '../src/modules/scheduler/expiry-notices.js';
import { startScheduler } from '../src/modules/scheduler/scheduler.js';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { rejection } from './org-fixtures.js';
import { type Receiver, receivedKeyEvents, startReceiver } from './webhook-receiver.js';

const DAY = 86_400_000;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const ENV = {
  ENCRYPTION_KEY,
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_WORKER_PERIOD_MS: '20',
  WEBHOOK_BACKOFF_SCALE: '0.001',
  KEY_MAINTENANCE_PERIOD_MS: '60000',
};

let app: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  app = await createTestApp(ENV);
  // Tests drive the jobs themselves, with their own clocks; the app's loop would race them.
  await app.background.scheduler.stop();
  receiver = await startReceiver();
});
afterAll(async () => {
  await app.shutdown();
  await receiver.close();
});

type Caller = Awaited<ReturnType<TestApp['caller']>>;

async function orgWithWebhook(plan: 'team' | 'enterprise' = 'team'): Promise<{ fx: OrgFixture; c: Caller }> {
  const fx = await createOrgFixture(app, { plan });
  const c = await app.caller(fx.owner.cookie);
  await c.webhook.create({
    orgId: fx.orgId,
    url: `${receiver.url}/${fx.orgId}`,
    events: ['key.expiring', 'key.expired', 'key.revoked'],
  });
  return { fx, c };
}

async function keyExpiringIn(
  fx: OrgFixture,
  c: Caller,
  ms: number | null,
  extra: Record<string, unknown> = {},
) {
  const { record } = await c.key.create({
    orgId: fx.orgId,
    spaceId: fx.spaceId,
    name: `k-${randomBytes(4).toString('hex')}`,
    ...(ms === null ? {} : { expiresAt: new Date(Date.now() + ms).toISOString() }),
    ...extra,
  });
  return record;
}

function eventsOf(orgId: string, type?: TEventType): Promise<Event[]> {
  return app.db.orm.em
    .fork()
    .find(
      Event,
      { organizationId: orgId, ...(type ? { type } : {}) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
}

/** Runs a job `n` times at once, each on its own EntityManager, and sums what they handled. */
async function concurrently(
  n: number,
  job: (em: TestApp['db']['orm']['em']) => Promise<number>,
): Promise<number> {
  const counts = await Promise.all(Array.from({ length: n }, () => job(app.db.orm.em.fork())));
  return counts.reduce((a, b) => a + b, 0);
}

function received(orgId: string): string[] {
  return receivedKeyEvents(receiver, `/${orgId}`);
}

async function settle(orgId: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (received(orgId).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
}

describe('key.expiring', () => {
  it('is raised once per key expiring within 30 days, however often and concurrently the job runs', async () => {
    const { fx, c } = await orgWithWebhook();
    const soon = await keyExpiringIn(fx, c, 10 * DAY);
    const edge = await keyExpiringIn(fx, c, 29 * DAY);
    const later = await keyExpiringIn(fx, c, 31 * DAY);
    await keyExpiringIn(fx, c, null);
    const revoked = await keyExpiringIn(fx, c, 5 * DAY);
    await c.key.revoke({ orgId: fx.orgId, keyId: revoked.id });
    // A rolled key in its grace period is not warned about; its replacement is.
    const rolled = await keyExpiringIn(fx, c, 12 * DAY);
    const { record: replacement } = await c.key.roll({
      orgId: fx.orgId,
      keyId: rolled.id,
      gracePeriodSeconds: 3600,
    });

    const now = new Date();
    expect(await concurrently(4, (em) => warnExpiringKeys(em, now))).toBe(3);
    expect(await concurrently(4, (em) => warnExpiringKeys(em, now))).toBe(0);

    const events = await eventsOf(fx.orgId, 'key.expiring');
    expect(events.map((e) => e.payload.key_id).sort()).toEqual([soon.id, edge.id, replacement.id].sort());
    expect(events.find((e) => e.payload.key_id === soon.id)?.payload).toEqual({
      key_id: soon.id,
      key_name: soon.name,
      space_id: fx.spaceId,
      environment: 'live',
      preview: soon.preview,
      expires_at: soon.expiresAt,
    });
    const rows = await app.db.orm.em.fork().find(ApiKey, { organization: fx.orgId });
    const warned = rows.filter((k) => k.expiryWarnedAt).map((k) => k.id);
    expect(warned.sort()).toEqual([soon.id, edge.id, replacement.id].sort());

    // Once the 31-day key is inside the window, it is warned about, once.
    await app.db.orm.em
      .fork()
      .nativeUpdate(ApiKey, { id: later.id }, { expiresAt: new Date(Date.now() + 25 * DAY) });
    expect(await concurrently(3, (em) => warnExpiringKeys(em))).toBe(1);
    expect(
      (await eventsOf(fx.orgId, 'key.expiring')).filter((e) => e.payload.key_id === later.id),
    ).toHaveLength(1);

    // A new expiry date gets its own notice.
    await c.key.update({
      orgId: fx.orgId,
      keyId: soon.id,
      patch: { expiresAt: new Date(Date.now() + 20 * DAY).toISOString() },
    });
    expect(await warnExpiringKeys(app.db.orm.em.fork())).toBe(1);
    expect(
      (await eventsOf(fx.orgId, 'key.expiring')).filter((e) => e.payload.key_id === soon.id),
    ).toHaveLength(2);

    // Each event reached the webhook receiver exactly once.
    await settle(fx.orgId, 6);
    expect(received(fx.orgId).filter((r) => r.startsWith('key.expiring:'))).toEqual(
      [soon.id, soon.id, edge.id, later.id, replacement.id].map((id) => `key.expiring:${id}`).sort(),
    );
  });

  it('writes the marker and the event together: a failed transaction leaves neither', async () => {
    const { fx, c } = await orgWithWebhook();
    const key = await keyExpiringIn(fx, c, 3 * DAY);
    const em = app.db.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        expect(await warnExpiringKeys(tx)).toBeGreaterThanOrEqual(1);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect((await app.db.orm.em.fork().findOneOrFail(ApiKey, { id: key.id })).expiryWarnedAt).toBeNull();
    expect(await eventsOf(fx.orgId, 'key.expiring')).toHaveLength(0);
    expect(await warnExpiringKeys(app.db.orm.em.fork())).toBeGreaterThanOrEqual(1);
    expect(await eventsOf(fx.orgId, 'key.expiring')).toHaveLength(1);
  });

  it('leaves out keys that enterprise auto-renew will extend, until the plan no longer renews them', async () => {
    const { fx, c } = await orgWithWebhook('enterprise');
    const key = await keyExpiringIn(fx, c, 20 * DAY, { autoRenew: true });
    expect(await warnExpiringKeys(app.db.orm.em.fork())).toBe(0);
    // Seven days before expiry it is renewed by its lifetime (20 days), and still not warned.
    const renewAt = new Date(Date.now() + 14 * DAY);
    expect(await renewExpiringKeys(app.db.orm.em.fork(), app.services.keyChanges, renewAt)).toBe(1);
    expect(await warnExpiringKeys(app.db.orm.em.fork(), renewAt)).toBe(0);
    await app.db.orm.em.fork().nativeUpdate(Organization, { id: fx.orgId }, { plan: 'team' });
    expect(await warnExpiringKeys(app.db.orm.em.fork(), renewAt)).toBe(1);
    expect((await eventsOf(fx.orgId, 'key.expiring')).map((e) => e.payload.key_id)).toEqual([key.id]);
  });
});

describe('key.expired', () => {
  it('is raised once when a key expires, not for old expiries or revoked keys', async () => {
    const { fx, c } = await orgWithWebhook();
    const justNow = await keyExpiringIn(fx, c, DAY);
    const longAgo = await keyExpiringIn(fx, c, DAY);
    const revoked = await keyExpiringIn(fx, c, DAY);
    await c.key.revoke({ orgId: fx.orgId, keyId: revoked.id });
    const em = app.db.orm.em.fork();
    await em.nativeUpdate(
      ApiKey,
      { id: { $in: [justNow.id, revoked.id] } },
      { expiresAt: new Date(Date.now() - 60_000) },
    );
    await em.nativeUpdate(ApiKey, { id: longAgo.id }, { expiresAt: new Date(Date.now() - 10 * DAY) });

    expect(await concurrently(4, (e) => notifyExpiredKeys(e))).toBe(1);
    expect(await concurrently(4, (e) => notifyExpiredKeys(e))).toBe(0);
    const [event] = await eventsOf(fx.orgId, 'key.expired');
    expect(event?.payload).toMatchObject({ key_id: justNow.id, space_id: fx.spaceId });
    // An expired key is not warned about as expiring.
    expect(await warnExpiringKeys(app.db.orm.em.fork())).toBe(0);
    await settle(fx.orgId, 2);
    expect(received(fx.orgId).filter((r) => r.startsWith('key.expired:'))).toEqual([
      `key.expired:${justNow.id}`,
    ]);
  });
});

describe('key.revoked', () => {
  it('is raised with the revocation: by hand, by a roll without grace, and when a grace period ends', async () => {
    const { fx, c } = await orgWithWebhook();
    const byHand = await keyExpiringIn(fx, c, null);
    await c.key.revoke({ orgId: fx.orgId, keyId: byHand.id });
    // Revoking again fails and raises nothing.
    expect((await rejection(c.key.revoke({ orgId: fx.orgId, keyId: byHand.id }))).code).toBe(
      'PRECONDITION_FAILED',
    );

    const noGrace = await keyExpiringIn(fx, c, null);
    const { record: noGraceNew } = await c.key.roll({
      orgId: fx.orgId,
      keyId: noGrace.id,
      gracePeriodSeconds: 0,
    });

    const withGrace = await keyExpiringIn(fx, c, null);
    const { record: withGraceNew } = await c.key.roll({
      orgId: fx.orgId,
      keyId: withGrace.id,
      gracePeriodSeconds: 60,
    });
    expect((await eventsOf(fx.orgId, 'key.revoked')).map((e) => e.payload.key_id)).toEqual([
      byHand.id,
      noGrace.id,
    ]);
    await app.db.orm.em
      .fork()
      .nativeUpdate(ApiKey, { id: withGrace.id }, { graceEndsAt: new Date(Date.now() - 1000) });
    expect(await concurrently(4, (em) => revokeEndedGracePeriods(em, app.services.keyChanges))).toBe(1);
    expect(await revokeEndedGracePeriods(app.db.orm.em.fork(), app.services.keyChanges)).toBe(0);

    const events = await eventsOf(fx.orgId, 'key.revoked');
    expect(events.map((e) => e.payload.key_id)).toEqual([byHand.id, noGrace.id, withGrace.id]);
    expect(events[0]?.payload).toMatchObject({
      reason: 'revoked',
      revoked_by: { type: 'user', id: fx.owner.id },
      space_id: fx.spaceId,
    });
    expect(events[1]?.payload).toMatchObject({ reason: 'rolled', replaced_by: noGraceNew.id });
    expect(events[2]?.payload).toMatchObject({
      reason: 'roll_grace_ended',
      replaced_by: withGraceNew.id,
      space_id: fx.spaceId,
      revoked_at: expect.any(String),
    });
    const audits = await app.db.orm.em
      .fork()
      .find(AuditEvent, { targetId: withGrace.id, action: 'key.revoke' });
    expect(audits).toHaveLength(1);
    await settle(fx.orgId, 3);
    expect(received(fx.orgId)).toEqual(
      [byHand.id, noGrace.id, withGrace.id].map((id) => `key.revoked:${id}`).sort(),
    );
  });
});

describe('the scheduler loop', () => {
  it('does work that fell due while no process ran at the next start, and nothing twice', async () => {
    const { fx, c } = await orgWithWebhook();
    const done = await keyExpiringIn(fx, c, 5 * DAY);
    expect(await warnExpiringKeys(app.db.orm.em.fork())).toBeGreaterThanOrEqual(1);
    // While "down": one key comes within 30 days, one expires, one's grace period ends.
    const dueSoon = await keyExpiringIn(fx, c, 60 * DAY);
    const expired = await keyExpiringIn(fx, c, 60 * DAY);
    const rolled = await keyExpiringIn(fx, c, null);
    await c.key.roll({ orgId: fx.orgId, keyId: rolled.id, gracePeriodSeconds: 600 });
    const em = app.db.orm.em.fork();
    await em.nativeUpdate(ApiKey, { id: dueSoon.id }, { expiresAt: new Date(Date.now() + 3 * DAY) });
    await em.nativeUpdate(ApiKey, { id: expired.id }, { expiresAt: new Date(Date.now() - 1000) });
    await em.nativeUpdate(ApiKey, { id: rolled.id }, { graceEndsAt: new Date(Date.now() - 1000) });

    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...ENV });
    const restarted = await createApp(env, { orm: app.db.orm });
    try {
      const counts = await restarted.background.scheduler.runOnce();
      // The first run (at start) may have done it all already; a second run finds nothing.
      expect(counts).toMatchObject({ rollGraceEnded: 0, expiringSoon: 0, expired: 0 });
    } finally {
      await restarted.close();
    }
    const byType = (await eventsOf(fx.orgId)).map((e) => `${e.type}:${e.payload.key_id}`).sort();
    expect(byType).toEqual(
      [
        `key.expiring:${done.id}`,
        `key.expiring:${dueSoon.id}`,
        `key.expired:${expired.id}`,
        `key.revoked:${rolled.id}`,
      ].sort(),
    );
  });

  it('runs every job each period; a failing job does not stop the others', async () => {
    const ran: string[] = [];
    const scheduler = startScheduler(
      app.db.orm,
      [
        {
          name: 'broken',
          run: async () => {
            ran.push('broken');
            throw new Error('broken job');
          },
        },
        {
          name: 'fine',
          run: async () => {
            ran.push('fine');
            return 2;
          },
        },
      ],
      pino({ level: 'silent' }),
      60_000,
    );
    try {
      expect(await scheduler.runOnce()).toEqual({ fine: 2 });
      expect(ran.filter((r) => r === 'fine').length).toBeGreaterThanOrEqual(2);
      expect(ran.filter((r) => r === 'broken').length).toBe(ran.filter((r) => r === 'fine').length);
    } finally {
      await scheduler.stop();
    }
  });
});
