import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConnection } from '../src/db/batch-connection.js';
import { connectionConfigOf } from '../src/db/orm.js';
import { PgQuotaCounter } from '../src/verify/pg-quota-counter.js';
import { UsageStore } from '../src/verify/usage-store.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * The PostgreSQL quota fallback (used while Redis is down): exact under concurrency from
 * several "processes" (each its own UsageStore with unflushed credits), on PGlite or, with
 * TEST_DATABASE_URL, on a real server where the advisory lock does the serialising.
 */
let db: TestDatabase;
let batch: BatchConnection;
const testKeyId = () => `key_${randomBytes(8).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  batch = new BatchConnection(connectionConfigOf(db.orm));
});
afterAll(async () => {
  await batch.close();
  await db.drop();
});

async function persisted(keyId: string): Promise<Record<string, number>> {
  const rows: { granularity: string; credits: string }[] = await db.orm.em
    .fork()
    .getConnection()
    .execute(
      'select granularity, sum(credits)::text as credits from usage_buckets where key_id = ? group by granularity',
      [keyId],
    );
  return Object.fromEntries(rows.map((r) => [r.granularity, Number(r.credits)]));
}

describe('PgQuotaCounter', () => {
  it('counts this process’s unflushed credits and charges the database directly', async () => {
    const usage = new UsageStore(db.orm, batch);
    const counter = new PgQuotaCounter(db.orm, usage);
    const keyId = testKeyId();
    const now = Date.now();
    usage.record('org_x', keyId, now - 1000, 4); // admitted earlier through Redis, not flushed yet
    const check = { organizationId: 'org_x', keyId, quotas: { daily: 6 }, cost: 1, now };
    const first = await counter.check(check, true);
    expect(first).toMatchObject({ admitted: true, persisted: true, windows: { daily: { used: 5 } } });
    expect(await counter.check(check, true)).toMatchObject({
      admitted: true,
      windows: { daily: { used: 6 } },
    });
    expect(await counter.check(check, true)).toMatchObject({ admitted: false, exceeded: 'daily' });
    expect(await counter.check({ ...check, cost: 0 }, false)).toMatchObject({
      admitted: true,
      windows: { daily: { used: 6 } },
    });
    expect(await persisted(keyId)).toEqual({ minute: 2, hour: 2, total: 2 });
    await usage.flush();
    expect(await persisted(keyId)).toEqual({ minute: 6, hour: 6, total: 6 });
  });

  it('counts its own pending credits exactly once while its flushes run concurrently', async () => {
    const own = new UsageStore(db.orm, batch);
    const counter = new PgQuotaCounter(db.orm, own);
    const keyId = testKeyId();
    const now = Date.now();
    own.record('org_y', keyId, now - 5000, 6);
    const flushes = [0, 1, 3, 8, 20].map(async (ms) => {
      await new Promise((r) => setTimeout(r, ms));
      own.record('org_y', 'key_other', now, 1); // unrelated traffic keeps the flushes busy
      await own.flush();
    });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        counter.check({ organizationId: 'org_y', keyId, quotas: { total: 40 }, cost: 1, now: now + i }, true),
      ),
    );
    await Promise.all(flushes);
    await own.flush();
    expect(results.filter((r) => r.admitted)).toHaveLength(34);
    expect(await persisted(keyId)).toEqual({ minute: 40, hour: 40, total: 40 });
  });

  it('admits exactly the quota from three processes at once', async () => {
    // Other processes' unflushed credits are not visible here: FailoverCounters waits one flush
    // period after an outage starts before deciding in PostgreSQL, so by then there are none.
    const counters = [0, 1, 2].map(() => new PgQuotaCounter(db.orm, new UsageStore(db.orm, batch)));
    const keyId = testKeyId();
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        (counters[i % 3] as PgQuotaCounter).check(
          { organizationId: 'org_y', keyId, quotas: { daily: 40, weekly: 50 }, cost: 1, now: now + i },
          true,
        ),
      ),
    );
    expect(results.filter((r) => r.admitted)).toHaveLength(40);
    expect(await persisted(keyId)).toEqual({ minute: 40, hour: 40, total: 40 });
  });
});
