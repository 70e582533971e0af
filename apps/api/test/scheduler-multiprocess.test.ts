/**
 * Issue 6 point 6 and issue 13 (§10) with two real API processes (`node src/main.ts`) on one
 * PostgreSQL database, both running the scheduler and the key-policy jobs every 100 ms and the
 * webhook worker every 50 ms, both delivering to one receiver: every due item (expiring within
 * 30 days, expired, roll grace ended, idle past its space's policy, due for rotation) yields
 * exactly one event (and, for the policy jobs, one audit row), and the receiver gets each event
 * exactly once. PGlite is a single-process database, so this needs TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { avatarColorFor, generatePublicId, normalizeScopeCatalog } from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.js';
import type { Em } from '../src/db/orm.js';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { Event } from '../src/modules/event/event.entity.js';
import { KeyPolicyRecord } from '../src/modules/key-policy/key-policy.entity.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { Space } from '../src/modules/space/space.entity.js';
import { SecretBox } from '../src/modules/webhook/secret-box.js';
import { WebhookDelivery, WebhookEndpoint } from '../src/modules/webhook/webhook.entity.js';
import { secretContext } from '../src/modules/webhook/webhook.service.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import {
  type ApiProcess,
  clusterSkipReason,
  loggedJobCounts,
  startApiProcess,
  stopAllApiProcesses,
} from './multi-process-cluster.js';
import { stubKey } from './org-fixtures.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const skipReason = clusterSkipReason('scheduler-multiprocess', { redis: false });

const DAY = 86_400_000;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

let db: TestDatabase;
let receiver: Receiver;
let dataDir: string;
let orgId: string;
let spaceId: string;
/** Spaces with a key policy (§10): idle deactivation after 7 days; rotation every 30 days. */
let idleSpace: string;
let rotationSpace: string;
const processes: ApiProcess[] = [];

type TExpected = 'key.expiring' | 'key.expired' | 'key.revoked' | 'key.idle_deactivated' | 'key.rotation_due';
/** What must happen to each key: the one event it must raise, or none. */
const expected = new Map<string, TExpected>();

function insertKey(em: Em, fields: Partial<Pick<ApiKey, 'expiresAt' | 'revokedAt' | 'graceEndsAt'>>): string {
  return stubKey(em, orgId, spaceId, {
    ...fields,
    rolledToId: fields.graceEndsAt ? generatePublicId('key', 16) : null,
  });
}

/** Keys of the policy spaces: due when created long enough ago, unless used, young or inactive. */
function insertPolicyKeys(em: Em, idle: number, rotation: number, now: number): void {
  for (let i = 0; i < idle; i++) {
    const created = new Date(now - 8 * DAY - i * 60_000);
    expected.set(stubKey(em, orgId, idleSpace, { createdAt: created }), 'key.idle_deactivated');
  }
  for (let i = 0; i < rotation; i++) {
    const created = new Date(now - 31 * DAY - i * 60_000);
    expected.set(stubKey(em, orgId, rotationSpace, { createdAt: created }), 'key.rotation_due');
  }
  const old = new Date(now - 40 * DAY);
  stubKey(em, orgId, idleSpace, { createdAt: old, lastUsedAt: new Date(now - DAY) });
  stubKey(em, orgId, idleSpace, { createdAt: new Date(now - DAY) });
  stubKey(em, orgId, idleSpace, { createdAt: old, active: false });
  stubKey(em, orgId, rotationSpace, { createdAt: new Date(now - 10 * DAY) });
  stubKey(em, orgId, rotationSpace, { createdAt: old, active: false });
}

/** A batch of due keys (and keys that are not due), written in one transaction. */
async function insertBatch(
  expiring: number,
  expired: number,
  graceEnded: number,
  idle: number,
  rotation: number,
): Promise<void> {
  const em = db.orm.em.fork();
  const now = Date.now();
  insertPolicyKeys(em, idle, rotation, now);
  for (let i = 0; i < expiring; i++) {
    expected.set(
      insertKey(em, { expiresAt: new Date(now + (1 + (i % 29)) * DAY + i * 1000) }),
      'key.expiring',
    );
  }
  for (let i = 0; i < expired; i++) {
    expected.set(insertKey(em, { expiresAt: new Date(now - 1000 - i * 60_000) }), 'key.expired');
  }
  for (let i = 0; i < graceEnded; i++) {
    expected.set(insertKey(em, { graceEndsAt: new Date(now - 1000 - i * 1000) }), 'key.revoked');
  }
  // Not due: far expiry, no expiry, revoked, grace still running.
  for (let i = 0; i < 5; i++) {
    insertKey(em, { expiresAt: new Date(now + 60 * DAY) });
    insertKey(em, {});
    insertKey(em, { expiresAt: new Date(now + 3 * DAY), revokedAt: new Date(now - DAY) });
    insertKey(em, { graceEndsAt: new Date(now + DAY) });
  }
  await em.flush();
}

describe.skipIf(skipReason !== null)('the scheduler with two API processes on PostgreSQL', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startReceiver();
    dataDir = mkdtempSync(path.join(tmpdir(), 'ks-scheduler-'));
    const em = db.orm.em.fork();
    orgId = newId('org');
    spaceId = newId('spc');
    em.create(Organization, {
      id: orgId,
      name: 'Scheduler Org',
      slug: `sched-${orgId.slice(-8).toLowerCase()}`,
      plan: 'team',
    });
    idleSpace = newId('spc');
    rotationSpace = newId('spc');
    for (const id of [spaceId, idleSpace, rotationSpace]) {
      em.create(Space, {
        id,
        organization: orgId,
        name: `Space ${id.slice(-4)}`,
        slug: `space-${id.slice(-8).toLowerCase()}`,
        logoColor: avatarColorFor(id),
        logoUrl: null,
        scopeCatalog: normalizeScopeCatalog([]),
      });
    }
    for (const [space, idleDeactivateDays, rotationReminderDays] of [
      [idleSpace, 7, null],
      [rotationSpace, null, 30],
    ] as const) {
      em.create(KeyPolicyRecord, {
        id: newId('kpl'),
        organization: orgId,
        space,
        maxLifetimeDays: null,
        requireExpiry: false,
        idleDeactivateDays,
        rotationReminderDays,
        requireIpAllowlistForLive: false,
        leakResponse: null,
      });
    }
    const endpointId = newId('whk');
    em.create(WebhookEndpoint, {
      id: endpointId,
      organization: orgId,
      url: `${receiver.url}/hooks`,
      events: ['key.expiring', 'key.expired', 'key.revoked', 'key.idle_deactivated', 'key.rotation_due'],
      secretCiphertext: new SecretBox(Buffer.from(ENCRYPTION_KEY, 'base64')).seal(
        'whsec_multiprocess',
        secretContext(endpointId),
      ),
      secretHint: 'whsec_…cess',
    });
    await em.flush();
    // Due before either process starts: the first runs of both race for it.
    await insertBatch(30, 30, 10, 30, 30);
  }, 60_000);

  afterAll(async () => {
    await stopAllApiProcesses();
    await receiver?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('handles each due item once and delivers each event once', async () => {
    const env = {
      DATABASE_URL: db.url ?? '',
      DATA_DIR: dataDir,
      ENCRYPTION_KEY,
      LOG_LEVEL: 'info',
      KEY_MAINTENANCE_PERIOD_MS: '100',
      KEY_POLICY_PERIOD_MS: '100',
      WEBHOOK_WORKER_PERIOD_MS: '50',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_BACKOFF_SCALE: '0.001',
    };
    processes.push(...(await Promise.all([startApiProcess('api-a', env), startApiProcess('api-b', env)])));
    // And batches that fall due while both are running, spread over several periods.
    for (let i = 0; i < 6; i++) {
      await insertBatch(5, 5, 2, 4, 4);
      await new Promise((r) => setTimeout(r, 120));
    }

    const total = expected.size;
    const deadline = Date.now() + 60_000;
    while (receiver.requests.length < total && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    // Several more periods of both loops: nothing more may arrive.
    await new Promise((r) => setTimeout(r, 1500));

    const events = await db.orm.em.fork().find(Event, { organizationId: orgId });
    const raised = events.map((e) => `${e.type}:${e.payload.key_id}`).sort();
    const wanted = [...expected].map(([keyId, type]) => `${type}:${keyId}`).sort();
    expect(raised).toEqual(wanted);

    const got = receiver.requests.map((r) => {
      const body = JSON.parse(r.body) as { id: string; type: string; data: { key_id: string } };
      expect(r.headers['keysmith-event-id']).toBe(body.id);
      return { id: body.id, item: `${body.type}:${body.data.key_id}` };
    });
    expect(got).toHaveLength(total);
    expect(new Set(got.map((g) => g.id)).size).toBe(total);
    expect(got.map((g) => g.item).sort()).toEqual(wanted);

    const deliveries = await db.orm.em.fork().find(WebhookDelivery, { organizationId: orgId });
    expect(deliveries).toHaveLength(total);
    expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);

    // The policy jobs audited each item once, and idle keys are inactive.
    const audits = await db.orm.em.fork().find(AuditEvent, {
      organizationId: orgId,
      action: { $in: ['key.idle_deactivate', 'key.rotation_due'] },
    });
    const auditedAs = {
      'key.idle_deactivate': 'key.idle_deactivated',
      'key.rotation_due': 'key.rotation_due',
    };
    expect(
      audits.map((a) => `${auditedAs[a.action as keyof typeof auditedAs]}:${a.targetId}`).sort(),
    ).toEqual(
      wanted.filter((w) => w.startsWith('key.idle_deactivated:') || w.startsWith('key.rotation_due:')),
    );
    const idleIds = [...expected].filter(([, t]) => t === 'key.idle_deactivated').map(([id]) => id);
    expect(await db.orm.em.fork().count(ApiKey, { id: { $in: idleIds }, active: true })).toBe(0);

    // What the two processes say they did adds up to each item once.
    const jobs = ['rollGraceEnded', 'expiringSoon', 'expired', 'idleDeactivated', 'rotationDue'];
    const [a, b] = processes.map((p) => loggedJobCounts(p, jobs));
    const sum = (job: string) => (a?.[job] ?? 0) + (b?.[job] ?? 0);
    const count = (type: string) => [...expected.values()].filter((t) => t === type).length;
    expect(sum('expiringSoon')).toBe(count('key.expiring'));
    expect(sum('expired')).toBe(count('key.expired'));
    expect(sum('rollGraceEnded')).toBe(count('key.revoked'));
    expect(sum('idleDeactivated')).toBe(count('key.idle_deactivated'));
    expect(sum('rotationDue')).toBe(count('key.rotation_due'));
    console.info(
      `[scheduler-multiprocess] per process (A / B): ${jobs.map((j) => `${j} ${a?.[j] ?? 0}/${b?.[j] ?? 0}`).join(', ')}`,
    );

    const codes = await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    expect(codes).toEqual([0, 0]);
  }, 180_000);
});
