import { KEY_STATES, keyState } from '@keysmith/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.js';
import { listKeys } from '../src/modules/api-key/list-keys.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { Space } from '../src/modules/space/space.entity.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { stubKey } from './org-fixtures.js';

/**
 * The admin's status filter is SQL (list-keys.ts → key-state.ts `keyStateFilter`); the state is
 * decided by the domain's `keyState`. On random keys and instants, written to the real
 * database, the filter for each status must return exactly the keys whose `keyState` is that
 * status: the SQL is held to the one rule, boundaries (`<=` at the very millisecond) included.
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 5, 1, 12, 0, 0);

/** An instant near `now`: exactly it, a millisecond either side, or hours away. */
const offsetArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -2, max: 2 }),
  fc.integer({ min: -1000 * HOUR, max: 1000 * HOUR }),
);
const keyArb = fc.record({
  revokedAt: fc.option(offsetArb, { nil: null }),
  graceEndsAt: fc.option(offsetArb, { nil: null }),
  expiresAt: fc.option(offsetArb, { nil: null }),
  active: fc.boolean(),
});
type KeyCase = typeof keyArb extends fc.Arbitrary<infer T> ? T : never;

async function freshOrganization(): Promise<{ orgId: string; spaceId: string }> {
  const em = db.orm.em.fork();
  const org = em.create(Organization, {
    id: newId('org'),
    name: 'Key state',
    slug: newId('org').slice(-12).toLowerCase(),
    plan: 'team',
  });
  const space = em.create(Space, {
    id: newId('spc'),
    organization: org,
    name: 'Space',
    slug: 'space',
    logoColor: '#336699',
    logoUrl: null,
    scopeCatalog: [],
  });
  await em.flush();
  return { orgId: org.id, spaceId: space.id };
}

describe('listKeys status filter', () => {
  it('returns exactly the keys whose domain keyState is that status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(keyArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: -1000 * HOUR, max: 1000 * HOUR }),
        async (cases: KeyCase[], shift) => {
          const now = BASE + shift;
          const at = (offset: number | null) => (offset === null ? null : new Date(now + offset));
          const { orgId, spaceId } = await freshOrganization();
          const em = db.orm.em.fork();
          const expected = new Map<string, string>();
          for (const c of cases) {
            const fields = {
              revokedAt: at(c.revokedAt),
              graceEndsAt: at(c.graceEndsAt),
              expiresAt: at(c.expiresAt),
              active: c.active,
            };
            const id = stubKey(em, orgId, spaceId, fields);
            expected.set(
              id,
              keyState(
                {
                  revokedAt: fields.revokedAt?.getTime() ?? null,
                  graceEndsAt: fields.graceEndsAt?.getTime() ?? null,
                  expiresAt: fields.expiresAt?.getTime() ?? null,
                  active: c.active,
                },
                now,
              ),
            );
          }
          await em.flush();
          const ctx = {
            em: db.orm.em.fork(),
            organizationId: orgId,
            principal: { kind: 'system' as const, label: 'test', ip: null },
            now: new Date(now),
          };
          for (const status of KEY_STATES) {
            const page = await listKeys(ctx, {
              status,
              sort: 'created',
              order: 'desc',
              page: 1,
              perPage: 100,
            });
            const want = [...expected].filter(([, state]) => state === status).map(([id]) => id);
            expect(page.data.map((k) => k.id).sort()).toEqual(want.sort());
            // The DTO's status is the domain's too.
            for (const k of page.data) expect(k.status).toBe(status);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
