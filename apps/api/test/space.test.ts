import { RESERVED_SCOPES } from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { Space, SpaceMembership } from '../src/modules/space/space.entity.js';
import { createTestApp, type TestApp, type TestUser } from './harness.js';
import { createOrg, createSpace, fieldErrors, insertKey, rejection, signUpUser } from './org-fixtures.js';

let app: TestApp;
let owner: TestUser;
let admin: TestUser;
let dev: TestUser;
let plain: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  app = await createTestApp();
  [owner, admin, dev, plain, outsider] = (await Promise.all(
    ['owner', 'admin', 'dev', 'plain', 'outsider'].map((tag) => signUpUser(app, tag, `${tag} person`)),
  )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
});
afterAll(() => app.shutdown());

async function team() {
  return createOrg(app, 'Space Org', [
    { userId: owner.id, role: 'owner' },
    { userId: admin.id, role: 'admin' },
    { userId: dev.id, role: 'member' },
    { userId: plain.id, role: 'member' },
  ]);
}

describe(`spaces on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('creates a space with a derived slug, a colour logo and the reserved scopes', async () => {
    const org = await team();
    const c = await app.caller(admin.cookie);
    const space = await c.space.create({
      orgId: org.id,
      name: 'Payments API',
      scopeCatalog: ['orders:read'],
    });
    expect(space).toMatchObject({
      name: 'Payments API',
      slug: 'payments-api',
      initials: 'PA',
      logoUrl: null,
      archived: false,
      keyCount: 0,
      memberCount: 0,
      myRole: null,
    });
    expect(space.logoColor).toMatch(/^#[0-9A-F]{6}$/);
    expect(space.scopeCatalog).toEqual([...RESERVED_SCOPES, 'orders:read'].sort());
    const plainSpace = await c.space.create({ orgId: org.id, name: 'Plain', logoColor: '#0f766e' });
    expect(plainSpace.scopeCatalog).toEqual([...RESERVED_SCOPES].sort());
    expect(plainSpace.logoColor).toBe('#0F766E');
  });

  it('keeps slugs unique per organization: CONFLICT on a typed slug, a suffix on a derived one', async () => {
    const org = await team();
    const c = await app.caller(owner.cookie);
    await c.space.create({ orgId: org.id, name: 'Billing' });
    const derived = await c.space.create({ orgId: org.id, name: 'Billing' });
    expect(derived.slug).toMatch(/^billing-[a-z0-9]{6}$/);
    const error = await rejection(c.space.create({ orgId: org.id, name: 'Other', slug: 'billing' }));
    expect(error.code).toBe('CONFLICT');
    expect(fieldErrors(error).slug).toMatch(/already exists/);
    // Another organization may use the same slug.
    const other = await createOrg(app, 'Other Org', [{ userId: owner.id, role: 'owner' }]);
    expect((await c.space.create({ orgId: other.id, name: 'Billing' })).slug).toBe('billing');
  });

  it('keeps space slugs unique under concurrent creation', async () => {
    const org = await team();
    const callers = await Promise.all(
      [owner, admin, owner, admin, owner, admin].map((u) => app.caller(u.cookie)),
    );
    const results = await Promise.allSettled(
      callers.map((c) => c.space.create({ orgId: org.id, name: 'Race', slug: 'race' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' });
    }
    expect(await app.db.orm.em.fork().count(Space, { organization: org.id, slug: 'race' })).toBe(1);
  });

  it('lists every space for owners and admins, only their own for members, with counts', async () => {
    const org = await team();
    const a = await createSpace(app, org.id, 'Alpha', [
      { userId: dev.id, role: 'developer' },
      { userId: admin.id, role: 'viewer' },
    ]);
    const b = await createSpace(app, org.id, 'Beta');
    await insertKey(app, org.id, a);
    await insertKey(app, org.id, a, [], true);
    await insertKey(app, org.id, b);
    const other = await createOrg(app, 'Noise', [{ userId: outsider.id, role: 'owner' }]);
    const noise = await createSpace(app, other.id, 'Alpha');
    await insertKey(app, other.id, noise);

    const all = await (await app.caller(admin.cookie)).space.list({ orgId: org.id });
    expect(all.map((s) => [s.name, s.keyCount, s.memberCount, s.myRole])).toEqual([
      ['Alpha', 2, 2, 'viewer'],
      ['Beta', 1, 0, null],
    ]);
    const mine = await (await app.caller(dev.cookie)).space.list({ orgId: org.id });
    expect(mine.map((s) => [s.id, s.myRole])).toEqual([[a, 'developer']]);
    expect(await (await app.caller(plain.cookie)).space.list({ orgId: org.id })).toEqual([]);
    expect(
      (await rejection((await app.caller(dev.cookie)).space.byId({ orgId: org.id, spaceId: b }))).code,
    ).toBe('NOT_FOUND');
  });

  it('updates name, logo and scope catalog, validating each field', async () => {
    const org = await team();
    const spaceId = await createSpace(app, org.id, 'Orders', [{ userId: dev.id, role: 'admin' }]);
    const c = await app.caller(dev.cookie);

    const bad = await rejection(
      c.space.update({ orgId: org.id, spaceId, scopeCatalog: ['orders:read', 'Orders:Write'] }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    expect(fieldErrors(bad).scopeCatalog).toContain('"Orders:Write"');
    const http = await rejection(
      c.space.update({ orgId: org.id, spaceId, logoUrl: 'http://cdn.test/logo.png' }),
    );
    expect(fieldErrors(http).logoUrl).toMatch(/https/);
    const js = await rejection(c.space.update({ orgId: org.id, spaceId, logoUrl: 'javascript:alert(1)' }));
    expect(fieldErrors(js).logoUrl).toMatch(/https/);

    const updated = await c.space.update({
      orgId: org.id,
      spaceId,
      name: 'Orders API',
      logoUrl: 'https://cdn.test/logo.png',
      scopeCatalog: ['orders:read', 'orders:*', 'orders:read'],
    });
    expect(updated).toMatchObject({
      name: 'Orders API',
      initials: 'OA',
      logoUrl: 'https://cdn.test/logo.png',
    });
    expect(updated.scopeCatalog).toEqual([...RESERVED_SCOPES, 'orders:*', 'orders:read'].sort());
    // The reserved scopes stay even when the input leaves them out.
    const trimmed = await c.space.update({ orgId: org.id, spaceId, scopeCatalog: [] });
    expect(trimmed.scopeCatalog).toEqual([...RESERVED_SCOPES].sort());
    expect((await c.space.update({ orgId: org.id, spaceId, logoUrl: null })).logoUrl).toBeNull();
  });

  it('refuses to drop a scope that live keys still hold', async () => {
    const org = await team();
    const spaceId = await createSpace(app, org.id, 'Scoped');
    const c = await app.caller(owner.cookie);
    await c.space.update({ orgId: org.id, spaceId, scopeCatalog: ['orders:read', 'orders:write'] });
    await insertKey(app, org.id, spaceId, ['orders:write']);
    await insertKey(app, org.id, spaceId, ['orders:read'], true);
    const error = await rejection(c.space.update({ orgId: org.id, spaceId, scopeCatalog: ['orders:read'] }));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(fieldErrors(error).scopeCatalog).toContain('"orders:write"');
    // A wildcard still covers it; a revoked key's scopes do not hold the catalog.
    const widened = await c.space.update({ orgId: org.id, spaceId, scopeCatalog: ['orders:*'] });
    expect(widened.scopeCatalog).toContain('orders:*');
  });

  it('deletes an empty space, archives one with keys, and unarchives it', async () => {
    const org = await team();
    const c = await app.caller(owner.cookie);
    const empty = await createSpace(app, org.id, 'Empty', [{ userId: dev.id, role: 'viewer' }]);
    expect(await c.space.delete({ orgId: org.id, spaceId: empty })).toEqual({
      id: empty,
      outcome: 'deleted',
      keyCount: 0,
    });
    const em = app.db.orm.em.fork();
    expect(await em.count(Space, { id: empty })).toBe(0);
    expect(await em.count(SpaceMembership, { space: empty })).toBe(0);

    const used = await createSpace(app, org.id, 'Used', [{ userId: dev.id, role: 'admin' }]);
    await insertKey(app, org.id, used);
    expect(await c.space.delete({ orgId: org.id, spaceId: used })).toMatchObject({
      outcome: 'archived',
      keyCount: 1,
    });
    const archived = await c.space.byId({ orgId: org.id, spaceId: used });
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(await em.count(ApiKey, { space: used })).toBe(1);

    // Archived spaces are read-only, even for their space admin.
    const asDev = await app.caller(dev.cookie);
    const readOnly = await rejection(asDev.space.update({ orgId: org.id, spaceId: used, name: 'X' }));
    expect(readOnly.code).toBe('PRECONDITION_FAILED');
    expect(
      (
        await rejection(
          asDev.space.members.add({ orgId: org.id, spaceId: used, userId: plain.id, role: 'viewer' }),
        )
      ).code,
    ).toBe('PRECONDITION_FAILED');

    const restored = await c.space.unarchive({ orgId: org.id, spaceId: used });
    expect(restored.archived).toBe(false);
    expect((await asDev.space.update({ orgId: org.id, spaceId: used, name: 'Used again' })).name).toBe(
      'Used again',
    );
  });

  it('manages space members: only organization members, one role each', async () => {
    const org = await team();
    const spaceId = await createSpace(app, org.id, 'Team space', [{ userId: dev.id, role: 'admin' }]);
    const asSpaceAdmin = await app.caller(dev.cookie);

    const added = await asSpaceAdmin.space.members.add({
      orgId: org.id,
      spaceId,
      userId: plain.id,
      role: 'viewer',
    });
    expect(added).toMatchObject({ userId: plain.id, email: plain.email, initials: 'PP', role: 'viewer' });
    const dup = await rejection(
      asSpaceAdmin.space.members.add({ orgId: org.id, spaceId, userId: plain.id, role: 'developer' }),
    );
    expect(dup.code).toBe('CONFLICT');
    expect(fieldErrors(dup).userId).toBeDefined();
    const stranger = await rejection(
      asSpaceAdmin.space.members.add({ orgId: org.id, spaceId, userId: outsider.id, role: 'viewer' }),
    );
    expect(stranger.code).toBe('NOT_FOUND');

    // The new member now sees that space, and no other.
    await createSpace(app, org.id, 'Elsewhere');
    const asPlain = await app.caller(plain.cookie);
    expect((await asPlain.space.list({ orgId: org.id })).map((s) => s.id)).toEqual([spaceId]);
    expect(
      (
        await rejection(
          asPlain.space.members.add({ orgId: org.id, spaceId, userId: admin.id, role: 'viewer' }),
        )
      ).code,
    ).toBe('FORBIDDEN');

    const changed = await asSpaceAdmin.space.members.changeRole({
      orgId: org.id,
      spaceId,
      userId: plain.id,
      role: 'developer',
    });
    expect(changed.role).toBe('developer');
    const listed = await asPlain.space.members.list({ orgId: org.id, spaceId });
    expect(listed.map((m) => [m.userId, m.role])).toEqual([
      [dev.id, 'admin'],
      [plain.id, 'developer'],
    ]);
    await asSpaceAdmin.space.members.remove({ orgId: org.id, spaceId, userId: plain.id });
    expect(await asPlain.space.list({ orgId: org.id })).toEqual([]);
    expect(
      (await rejection(asSpaceAdmin.space.members.remove({ orgId: org.id, spaceId, userId: plain.id }))).code,
    ).toBe('NOT_FOUND');
  });
});
