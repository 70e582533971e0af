import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Membership } from '../src/modules/membership/membership.entity.js';
import { SpaceMembership } from '../src/modules/space/space.entity.js';
import { createTestApp, type TestApp, type TestUser } from './harness.js';
import { createOrg, createSpace, rejection, signUpUser } from './org-fixtures.js';

let app: TestApp;
let owner: TestUser;
let owner2: TestUser;
let admin: TestUser;
let member: TestUser;
let other: TestUser;

beforeAll(async () => {
  app = await createTestApp();
  [owner, owner2, admin, member, other] = (await Promise.all(
    ['Olivia Owner', 'Otto Owner', 'Ada Admin', 'Max Member', 'Oscar Other'].map((name) =>
      signUpUser(app, name.split(' ')[0]?.toLowerCase() ?? 'user', name),
    ),
  )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
});
afterAll(() => app.shutdown());

async function as(user: TestUser) {
  return app.caller(user.cookie);
}

async function ownerCount(orgId: string): Promise<number> {
  return app.db.orm.em.fork().count(Membership, { organization: orgId, role: 'owner' });
}

/** Owner, admin and member in a fresh organization. */
async function team(extraOwner = false) {
  return createOrg(app, 'Team', [
    { userId: owner.id, role: 'owner' },
    ...(extraOwner ? [{ userId: owner2.id, role: 'owner' as const }] : []),
    { userId: admin.id, role: 'admin' },
    { userId: member.id, role: 'member' },
  ]);
}

describe(`members on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('lists members with avatar data, roles, join time and the space roles the caller may see', async () => {
    const org = await team();
    const visible = await createSpace(app, org.id, 'Payments', [
      { userId: member.id, role: 'developer' },
      { userId: admin.id, role: 'admin' },
    ]);
    const hidden = await createSpace(app, org.id, 'Secret', [{ userId: admin.id, role: 'viewer' }]);

    const asOwner = await (await as(owner)).member.list({ orgId: org.id });
    expect(asOwner.map((m) => m.role)).toEqual(['owner', 'admin', 'member']);
    const olivia = asOwner[0];
    expect(olivia).toMatchObject({
      userId: owner.id,
      email: owner.email,
      displayName: 'Olivia Owner',
      initials: 'OO',
    });
    expect(olivia?.avatarColor).toMatch(/^#[0-9A-F]{6}$/);
    expect(olivia?.joinedAt).toBeInstanceOf(Date);
    const adminRow = asOwner.find((m) => m.userId === admin.id);
    expect(adminRow?.spaces.map((s) => s.spaceId).sort()).toEqual([visible, hidden].sort());

    // A plain member sees the member list, but not the spaces they do not belong to.
    const asMember = await (await as(member)).member.list({ orgId: org.id });
    expect(asMember).toHaveLength(3);
    expect(asMember.find((m) => m.userId === admin.id)?.spaces).toEqual([
      { spaceId: visible, spaceName: 'Payments', spaceSlug: expect.any(String), role: 'admin' },
    ]);
  });

  it('lets owners and admins change roles, but only owners grant or take owner', async () => {
    const org = await team();
    const asAdmin = await as(admin);
    const promoted = await asAdmin.member.changeRole({ orgId: org.id, userId: member.id, role: 'admin' });
    expect(promoted.role).toBe('admin');
    await asAdmin.member.changeRole({ orgId: org.id, userId: member.id, role: 'member' });

    const grant = await rejection(
      asAdmin.member.changeRole({ orgId: org.id, userId: member.id, role: 'owner' }),
    );
    expect(grant.code).toBe('FORBIDDEN');
    expect(grant.message).toMatch(/only owners/i);
    const take = await rejection(
      asAdmin.member.changeRole({ orgId: org.id, userId: owner.id, role: 'admin' }),
    );
    expect(take.code).toBe('FORBIDDEN');

    const asMember = await as(member);
    expect(
      (await rejection(asMember.member.changeRole({ orgId: org.id, userId: admin.id, role: 'member' }))).code,
    ).toBe('FORBIDDEN');

    const asOwner = await as(owner);
    await asOwner.member.changeRole({ orgId: org.id, userId: admin.id, role: 'owner' });
    expect(await ownerCount(org.id)).toBe(2);
    // With two owners, an owner may step down.
    await asOwner.member.changeRole({ orgId: org.id, userId: owner.id, role: 'admin' });
    expect(await ownerCount(org.id)).toBe(1);
  });

  it('never demotes the last owner', async () => {
    const org = await team();
    const error = await rejection(
      (await as(owner)).member.changeRole({ orgId: org.id, userId: owner.id, role: 'admin' }),
    );
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/at least one owner/);
    expect(await ownerCount(org.id)).toBe(1);
  });

  it('answers NOT_FOUND for a user who is not a member', async () => {
    const org = await team();
    const error = await rejection(
      (await as(owner)).member.changeRole({ orgId: org.id, userId: other.id, role: 'admin' }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });

  it('removes a member with their space roles, and their open session loses access at once', async () => {
    const org = await team();
    const spaceId = await createSpace(app, org.id, 'Payments', [{ userId: member.id, role: 'admin' }]);
    const memberSession = await as(member);
    expect(await memberSession.space.list({ orgId: org.id })).toHaveLength(1);

    await (await as(admin)).member.remove({ orgId: org.id, userId: member.id });

    const em = app.db.orm.em.fork();
    expect(await em.count(Membership, { organization: org.id, user: member.id })).toBe(0);
    expect(await em.count(SpaceMembership, { organization: org.id, user: member.id })).toBe(0);
    // The very same session (and caller) is refused on its next call.
    const freshSession = await as(member);
    for (const call of [
      () => memberSession.space.list({ orgId: org.id }),
      () => memberSession.space.byId({ orgId: org.id, spaceId }),
      () => memberSession.organization.byId({ orgId: org.id }),
      () => freshSession.member.list({ orgId: org.id }),
    ]) {
      expect((await rejection(call())).code).toBe('NOT_FOUND');
    }
    expect((await (await as(member)).organization.list()).map((o) => o.id)).not.toContain(org.id);
  });

  it('lets only owners remove owners, and never the last owner', async () => {
    const org = await team(true);
    expect((await rejection((await as(admin)).member.remove({ orgId: org.id, userId: owner.id }))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await rejection((await as(member)).member.remove({ orgId: org.id, userId: admin.id }))).code,
    ).toBe('FORBIDDEN');
    await (await as(owner2)).member.remove({ orgId: org.id, userId: owner.id });
    const last = await rejection((await as(owner2)).member.remove({ orgId: org.id, userId: owner2.id }));
    expect(last.code).toBe('PRECONDITION_FAILED');
    expect(await ownerCount(org.id)).toBe(1);
  });

  it('lets members leave, but not the last owner', async () => {
    const org = await team();
    await (await as(member)).member.leave({ orgId: org.id });
    expect((await rejection((await as(member)).member.list({ orgId: org.id }))).code).toBe('NOT_FOUND');

    const last = await rejection((await as(owner)).member.leave({ orgId: org.id }));
    expect(last.code).toBe('PRECONDITION_FAILED');
    expect(last.message).toMatch(/at least one owner/);

    await (await as(owner)).member.changeRole({ orgId: org.id, userId: admin.id, role: 'owner' });
    await (await as(owner)).member.leave({ orgId: org.id });
    expect(await ownerCount(org.id)).toBe(1);
  });

  it('keeps an owner when two owners demote each other concurrently', async () => {
    for (let round = 0; round < 5; round++) {
      const org = await team(true);
      const [a, b] = [await as(owner), await as(owner2)];
      const results = await Promise.allSettled([
        a.member.changeRole({ orgId: org.id, userId: owner2.id, role: 'admin' }),
        b.member.changeRole({ orgId: org.id, userId: owner.id, role: 'admin' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(['FORBIDDEN', 'PRECONDITION_FAILED']).toContain(r.reason.code);
      }
      expect(await ownerCount(org.id)).toBe(1);
    }
  });

  it('keeps an owner when two owners leave, remove each other or step down concurrently', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b] = [await as(owner), await as(owner2)];
      const leaving = await team(true);
      await Promise.allSettled([
        a.member.leave({ orgId: leaving.id }),
        b.member.leave({ orgId: leaving.id }),
      ]);
      expect(await ownerCount(leaving.id)).toBe(1);

      const removing = await team(true);
      await Promise.allSettled([
        a.member.remove({ orgId: removing.id, userId: owner2.id }),
        b.member.remove({ orgId: removing.id, userId: owner.id }),
      ]);
      expect(await ownerCount(removing.id)).toBe(1);

      const steppingDown = await team(true);
      await Promise.allSettled([
        a.member.changeRole({ orgId: steppingDown.id, userId: owner.id, role: 'member' }),
        b.member.changeRole({ orgId: steppingDown.id, userId: owner2.id, role: 'member' }),
      ]);
      expect(await ownerCount(steppingDown.id)).toBe(1);
    }
  });
});
