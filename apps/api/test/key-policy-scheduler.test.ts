/**
 * The §10 scheduler jobs on one database with a fake clock (`now` passed in): idle keys are
 * deactivated and rotation reminders raised exactly as the domain rules say, once per item
 * however often and concurrently the jobs run, each with an audit row, a notification and a
 * webhook; a deactivated key is refused at once. Two real processes on PostgreSQL:
 * scheduler-multiprocess.test.ts.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  idleDeactivationAt,
  type KeyPolicy,
  mergeKeyPolicies,
  NO_KEY_POLICY,
  nextRotationReminderAt,
  type PolicyKeyActivity,
} from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { Event } from '../src/modules/event/event.entity.js';
import { deactivateIdleKeys, remindKeyRotation } from '../src/modules/scheduler/policy-jobs.js';
import { WebhookDelivery } from '../src/modules/webhook/webhook.entity.js';
import { createTestApp, type TestApp } from './harness.js';
import { addSpace, createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { type Receiver, receivedKeyEvents, startReceiver } from './webhook-receiver.js';

const DAY = 86_400_000;
const NONE: KeyPolicy = NO_KEY_POLICY;

let app: TestApp;
let receiver: Receiver;
let base: string;

beforeAll(async () => {
  app = await createTestApp({
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_WORKER_PERIOD_MS: '20',
    WEBHOOK_BACKOFF_SCALE: '0.001',
    KEY_MAINTENANCE_PERIOD_MS: '60000',
  });
  // Tests drive the jobs with their own clocks; the app's loop would race them.
  await app.background.scheduler.stop();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  receiver = await startReceiver();
});
afterAll(async () => {
  await app.shutdown();
  await receiver.close();
});

type Caller = Awaited<ReturnType<TestApp['caller']>>;

async function orgWithWebhook(): Promise<{ fx: OrgFixture; c: Caller }> {
  const fx = await createOrgFixture(app, { plan: 'team' });
  const c = await app.caller(fx.owner.cookie);
  await c.webhook.create({
    orgId: fx.orgId,
    url: `${receiver.url}/${fx.orgId}`,
    events: ['key.idle_deactivated', 'key.rotation_due'],
  });
  return { fx, c };
}

async function concurrently(n: number, job: (em: TestApp['db']['orm']['em']) => Promise<number>) {
  const counts = await Promise.all(Array.from({ length: n }, () => job(app.db.orm.em.fork())));
  return counts.reduce((a, b) => a + b, 0);
}

function events(orgId: string, type: 'key.idle_deactivated' | 'key.rotation_due') {
  return app.db.orm.em
    .fork()
    .find(Event, { organizationId: orgId, type }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

function received(orgId: string): string[] {
  return receivedKeyEvents(receiver, `/${orgId}`);
}

/**
 * Waits for `count` webhook requests. Deliveries were queued at the fake clock's `now`, days
 * ahead; they are brought back to the real now first, or the worker would wait for that day.
 */
async function settle(orgId: string, count: number): Promise<void> {
  await app.db.orm.em
    .fork()
    .nativeUpdate(WebhookDelivery, { organizationId: orgId }, { nextAttemptAt: new Date() });
  const deadline = Date.now() + 10_000;
  while (received(orgId).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
}

let counter = 0;
async function makeKey(c: Caller, orgId: string, spaceId: string, input: Record<string, unknown> = {}) {
  counter += 1;
  return c.key.create({ orgId, spaceId, name: `k-${counter}`, environment: 'test', ...input });
}

describe('idle deactivation', () => {
  it('deactivates each idle key once, with audit, notification, webhook, and refuses it at once', async () => {
    const { fx, c } = await orgWithWebhook();
    const strictSpace = await addSpace(app, fx.orgId, 'Strict', []);
    await c.keyPolicy.updateOrganization({
      orgId: fx.orgId,
      policy: { ...NONE, idleDeactivateDays: 30 },
      leakResponse: 'revoke',
    });
    await c.keyPolicy.updateSpace({
      orgId: fx.orgId,
      spaceId: strictSpace,
      policy: { ...NONE, idleDeactivateDays: 7 },
    });
    const neverUsed = await makeKey(c, fx.orgId, fx.spaceId);
    const usedLater = await makeKey(c, fx.orgId, fx.spaceId);
    const strict = await makeKey(c, fx.orgId, strictSpace);
    const alreadyOff = await makeKey(c, fx.orgId, fx.spaceId);
    await c.key.deactivate({ orgId: fx.orgId, keyId: alreadyOff.record.id });
    const now = Date.now();
    await app.db.orm.em
      .fork()
      .nativeUpdate(ApiKey, { id: usedLater.record.id }, { lastUsedAt: new Date(now + 20 * DAY) });

    // Day 8: only the strict space's key (7 days) is due.
    expect(
      await concurrently(4, (em) => deactivateIdleKeys(em, app.services.keyChanges, new Date(now + 8 * DAY))),
    ).toBe(1);
    // Day 31: the never-used key; the key used on day 20 is spared until day 50.
    const day31 = new Date(now + 31 * DAY);
    expect(await concurrently(4, (em) => deactivateIdleKeys(em, app.services.keyChanges, day31))).toBe(1);
    expect(await concurrently(4, (em) => deactivateIdleKeys(em, app.services.keyChanges, day31))).toBe(0);
    expect(
      await deactivateIdleKeys(app.db.orm.em.fork(), app.services.keyChanges, new Date(now + 51 * DAY)),
    ).toBe(1);

    const raised = await events(fx.orgId, 'key.idle_deactivated');
    expect(raised.map((e) => e.payload.key_id)).toEqual([
      strict.record.id,
      neverUsed.record.id,
      usedLater.record.id,
    ]);
    expect(raised[0]?.payload).toMatchObject({
      key_id: strict.record.id,
      space_id: strictSpace,
      idle_deactivate_days: 7,
      idle_since: strict.record.createdAt,
    });
    expect(raised[2]?.payload).toMatchObject({
      idle_deactivate_days: 30,
      idle_since: new Date(now + 20 * DAY).toISOString(),
    });
    const audits = await app.db.orm.em
      .fork()
      .find(AuditEvent, { organizationId: fx.orgId, action: 'key.idle_deactivate' });
    expect(audits.map((a) => a.targetId).sort()).toEqual(
      [strict.record.id, neverUsed.record.id, usedLater.record.id].sort(),
    );
    expect(audits[0]).toMatchObject({
      actorType: 'system',
      actorLabel: 'scheduler',
      before: { active: true },
    });
    for (const key of [strict, neverUsed, usedLater]) {
      const detail = await c.key.byId({ orgId: fx.orgId, keyId: key.record.id });
      expect(detail.status).toBe('inactive');
    }

    // The verifier heard of it: the key answers Inactive API Key (the cache was told).
    const res = await fetch(`${base}/v1/rate-limit`, {
      headers: { authorization: `Bearer ${neverUsed.key}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('INACTIVE');

    // Reactivating restarts the idle clock: not deactivated again at once.
    await c.key.reactivate({ orgId: fx.orgId, keyId: neverUsed.record.id });
    expect(
      await deactivateIdleKeys(app.db.orm.em.fork(), app.services.keyChanges, new Date(Date.now() + DAY)),
    ).toBe(0);

    await settle(fx.orgId, 3);
    expect(received(fx.orgId)).toEqual(
      [strict.record.id, neverUsed.record.id, usedLater.record.id]
        .map((id) => `key.idle_deactivated:${id}`)
        .sort(),
    );
  });
});

describe('rotation reminders', () => {
  it('reminds once per period, for active keys only', async () => {
    const { fx, c } = await orgWithWebhook();
    await c.keyPolicy.updateOrganization({
      orgId: fx.orgId,
      policy: { ...NONE, rotationReminderDays: 90 },
      leakResponse: 'revoke',
    });
    const key = await makeKey(c, fx.orgId, fx.spaceId);
    const inactive = await makeKey(c, fx.orgId, fx.spaceId);
    await c.key.deactivate({ orgId: fx.orgId, keyId: inactive.record.id });
    const revoked = await makeKey(c, fx.orgId, fx.spaceId);
    await c.key.revoke({ orgId: fx.orgId, keyId: revoked.record.id });
    const now = Date.now();

    expect(await remindKeyRotation(app.db.orm.em.fork(), new Date(now + 89 * DAY))).toBe(0);
    const day91 = new Date(now + 91 * DAY);
    expect(await concurrently(4, (em) => remindKeyRotation(em, day91))).toBe(1);
    expect(await concurrently(4, (em) => remindKeyRotation(em, new Date(now + 180 * DAY)))).toBe(0);
    expect(await concurrently(4, (em) => remindKeyRotation(em, new Date(now + 182 * DAY)))).toBe(1);

    const raised = await events(fx.orgId, 'key.rotation_due');
    expect(raised.map((e) => e.payload.key_id)).toEqual([key.record.id, key.record.id]);
    expect(raised[0]?.payload).toMatchObject({
      rotation_reminder_days: 90,
      age_days: 91,
      created_at: key.record.createdAt,
    });
    const audits = await app.db.orm.em
      .fork()
      .find(AuditEvent, { organizationId: fx.orgId, action: 'key.rotation_due' });
    expect(audits).toHaveLength(2);
    await settle(fx.orgId, 2);
    expect(received(fx.orgId)).toEqual([
      `key.rotation_due:${key.record.id}`,
      `key.rotation_due:${key.record.id}`,
    ]);
    // Rolling starts a new key with a fresh clock; the old one is revoked and reminded no more.
    const rolled = await c.key.roll({ orgId: fx.orgId, keyId: key.record.id, gracePeriodSeconds: 0 });
    expect(await remindKeyRotation(app.db.orm.em.fork(), new Date(now + 300 * DAY))).toBe(1);
    expect((await events(fx.orgId, 'key.rotation_due')).at(-1)?.payload.key_id).toBe(rolled.record.id);
  });
});

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('the jobs agree with the domain rules', () => {
  it('deactivate and remind exactly the keys the domain says are due', async () => {
    const { fx, c } = await orgWithWebhook();
    const random = rng(13);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const org: KeyPolicy = { ...NONE, idleDeactivateDays: 30, rotationReminderDays: 60 };
    await c.keyPolicy.updateOrganization({ orgId: fx.orgId, policy: org, leakResponse: 'revoke' });
    const spaces: { id: string; policy: KeyPolicy }[] = [{ id: fx.spaceId, policy: NONE }];
    for (const [i, own] of [
      { ...NONE, idleDeactivateDays: 10 },
      { ...NONE, rotationReminderDays: 20, idleDeactivateDays: 20 },
    ].entries()) {
      const id = await addSpace(app, fx.orgId, `Space ${i}`, []);
      await c.keyPolicy.updateSpace({ orgId: fx.orgId, spaceId: id, policy: own });
      spaces.push({ id, policy: own });
    }
    const now = Date.now();
    const at = now;
    const em = app.db.orm.em.fork();
    const facts = new Map<string, { space: string; key: PolicyKeyActivity }>();
    for (let i = 0; i < 60; i++) {
      const space = pick(spaces);
      const { record } = await makeKey(c, fx.orgId, space.id);
      const createdAt = now - Math.floor(random() * 120) * DAY - Math.floor(random() * DAY);
      const lastUsedAt = random() < 0.5 ? null : createdAt + Math.floor(random() * (now - createdAt));
      const reactivatedAt = random() < 0.2 ? createdAt + Math.floor(random() * (now - createdAt)) : null;
      const rotationRemindedAt = random() < 0.3 ? createdAt + Math.floor(random() * (now - createdAt)) : null;
      const expiresAt = random() < 0.2 ? now + (random() < 0.5 ? -DAY : DAY) : null;
      const active = random() < 0.85;
      const retiring = random() < 0.1;
      await em.nativeUpdate(
        ApiKey,
        { id: record.id },
        {
          createdAt: new Date(createdAt),
          lastUsedAt: lastUsedAt === null ? null : new Date(lastUsedAt),
          reactivatedAt: reactivatedAt === null ? null : new Date(reactivatedAt),
          rotationRemindedAt: rotationRemindedAt === null ? null : new Date(rotationRemindedAt),
          expiresAt: expiresAt === null ? null : new Date(expiresAt),
          active,
          graceEndsAt: retiring ? new Date(now + DAY) : null,
        },
      );
      facts.set(record.id, {
        space: space.id,
        key: {
          environment: 'test',
          expiresAt,
          ipAllowlist: [],
          createdAt,
          lastUsedAt,
          reactivatedAt,
          rotationRemindedAt,
          active,
          revoked: false,
          retiring,
        },
      });
    }
    const policyOf = (spaceId: string) =>
      mergeKeyPolicies(org, spaces.find((s) => s.id === spaceId)?.policy ?? NONE);
    const due = (when: (p: KeyPolicy, k: PolicyKeyActivity) => number | null) =>
      [...facts]
        .filter(([, f]) => {
          const t = when(policyOf(f.space), f.key);
          return t !== null && t <= at;
        })
        .map(([id]) => id)
        .sort();
    const expectedReminders = due((p, k) => nextRotationReminderAt(p, k, at));
    const expectedIdle = due((p, k) => idleDeactivationAt(p, k, at));
    expect(expectedIdle.length).toBeGreaterThan(3);
    expect(expectedReminders.length).toBeGreaterThan(3);

    // Reminders first (a deactivated key is reminded no more, as the domain says).
    await concurrently(3, (e) => remindKeyRotation(e, new Date(at)));
    await concurrently(3, (e) => deactivateIdleKeys(e, app.services.keyChanges, new Date(at)));
    const reminded = (await events(fx.orgId, 'key.rotation_due')).map((e) => String(e.payload.key_id)).sort();
    const deactivated = (await events(fx.orgId, 'key.idle_deactivated'))
      .map((e) => String(e.payload.key_id))
      .sort();
    expect(reminded).toEqual(expectedReminders);
    expect(deactivated).toEqual(expectedIdle);
  });
});
