/**
 * Issue 6 point 6 with two real API processes (`node src/main.ts`) on one PostgreSQL
 * database, both running the scheduler every 100 ms and the webhook worker every 50 ms, both
 * delivering to one receiver: every due item (expiring within 30 days, expired, roll grace
 * ended) yields exactly one event, and the receiver gets each event exactly once.
 * PGlite is a single-process database, so this needs TEST_DATABASE_URL.
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
import { Event } from '../src/modules/event/event.entity.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { Space } from '../src/modules/space/space.entity.js';
import { SecretBox } from '../src/modules/webhook/secret-box.js';
import { WebhookDelivery, WebhookEndpoint } from '../src/modules/webhook/webhook.entity.js';
import { secretContext } from '../src/modules/webhook/webhook.service.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { type ApiProcess, startApiProcess, stopAllApiProcesses } from './multi-process-cluster.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const skipReason = process.env.TEST_DATABASE_URL
  ? null
  : 'TEST_DATABASE_URL is not set: two API processes need a shared PostgreSQL server (PGlite is ' +
    'single-process); source .ci/lib.sh && ks_start_postgres';
if (skipReason) console.warn(`scheduler-multiprocess: skipped: ${skipReason}`);

const DAY = 86_400_000;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

let db: TestDatabase;
let receiver: Receiver;
let dataDir: string;
let orgId: string;
let spaceId: string;
const processes: ApiProcess[] = [];

/** What must happen to each key: the one event it must raise, or none. */
const expected = new Map<string, 'key.expiring' | 'key.expired' | 'key.revoked'>();

function insertKey(em: Em, fields: Partial<Pick<ApiKey, 'expiresAt' | 'revokedAt' | 'graceEndsAt'>>): string {
  const id = generatePublicId('key', 16);
  em.create(ApiKey, {
    id,
    organization: orgId,
    space: spaceId,
    ownerUser: null,
    ownerKeyId: null,
    name: id,
    nameNormalized: id.toLowerCase(),
    description: '',
    category: 'production',
    environment: 'live',
    scopes: [],
    secretHash: '0'.repeat(64),
    preview: `sk_live_${id.slice(4, 8)}...wxyz`,
    ipAllowlist: [],
    expiresAt: fields.expiresAt ?? null,
    revokedAt: fields.revokedAt ?? null,
    graceEndsAt: fields.graceEndsAt ?? null,
    rolledToId: fields.graceEndsAt ? generatePublicId('key', 16) : null,
  });
  return id;
}

/** A batch of due keys (and keys that are not due), written in one transaction. */
async function insertBatch(expiring: number, expired: number, graceEnded: number): Promise<void> {
  const em = db.orm.em.fork();
  const now = Date.now();
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

/** The counts the processes logged for their scheduler runs (`scheduled jobs` lines). */
function loggedCounts(proc: ApiProcess): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of proc.output) {
    if (!line.includes('"scheduled jobs"')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    for (const job of ['rollGraceEnded', 'autoRenew', 'expiringSoon', 'expired']) {
      totals[job] = (totals[job] ?? 0) + Number(entry[job] ?? 0);
    }
  }
  return totals;
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
    em.create(Space, {
      id: spaceId,
      organization: orgId,
      name: 'Space',
      slug: `space-${spaceId.slice(-8).toLowerCase()}`,
      logoColor: avatarColorFor(spaceId),
      logoUrl: null,
      scopeCatalog: normalizeScopeCatalog([]),
    });
    const endpointId = newId('whk');
    em.create(WebhookEndpoint, {
      id: endpointId,
      organization: orgId,
      url: `${receiver.url}/hooks`,
      events: ['key.expiring', 'key.expired', 'key.revoked'],
      secretCiphertext: new SecretBox(Buffer.from(ENCRYPTION_KEY, 'base64')).seal(
        'whsec_multiprocess',
        secretContext(endpointId),
      ),
      secretHint: 'whsec_…cess',
    });
    await em.flush();
    // Due before either process starts: the first runs of both race for it.
    await insertBatch(30, 30, 10);
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
      WEBHOOK_WORKER_PERIOD_MS: '50',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_BACKOFF_SCALE: '0.001',
    };
    processes.push(...(await Promise.all([startApiProcess('api-a', env), startApiProcess('api-b', env)])));
    // And batches that fall due while both are running, spread over several periods.
    for (let i = 0; i < 6; i++) {
      await insertBatch(5, 5, 2);
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

    // What the two processes say they did adds up to each item once.
    const [a, b] = processes.map(loggedCounts);
    const sum = (job: string) => (a?.[job] ?? 0) + (b?.[job] ?? 0);
    const count = (type: string) => [...expected.values()].filter((t) => t === type).length;
    expect(sum('expiringSoon')).toBe(count('key.expiring'));
    expect(sum('expired')).toBe(count('key.expired'));
    expect(sum('rollGraceEnded')).toBe(count('key.revoked'));

    const codes = await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    expect(codes).toEqual([0, 0]);
  }, 180_000);
});
