/**
 * Tenant isolation (§1): every list answers only the caller's organization, even for a user
 * who belongs to several, and another organization's ids are NOT_FOUND.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser, uniqueEmail } from './harness.js';
import { createOrg, createPendingInvitation, createSpace, rejection, signUpUser } from './org-fixtures.js';

let app: TestApp;
let ownerA: TestUser;
let ownerB: TestUser;
let both: TestUser;
let onlyB: TestUser;

beforeAll(async () => {
  app = await createTestApp();
  [ownerA, ownerB, both, onlyB] = (await Promise.all(
    ['owner-a', 'owner-b', 'both', 'only-b'].map((tag) => signUpUser(app, tag)),
  )) as [TestUser, TestUser, TestUser, TestUser];
});
afterAll(() => app.shutdown());

describe(`tenant isolation on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('shows each organization only its own members, invitations, spaces and space members', async () => {
    const a = await createOrg(app, 'Tenant A', [
      { userId: ownerA.id, role: 'owner' },
      { userId: both.id, role: 'admin' },
    ]);
    const b = await createOrg(app, 'Tenant B', [
      { userId: ownerB.id, role: 'owner' },
      { userId: both.id, role: 'admin' },
      { userId: onlyB.id, role: 'member' },
    ]);
    const spaceA = await createSpace(app, a.id, 'Shared name', [{ userId: both.id, role: 'viewer' }]);
    const spaceB = await createSpace(app, b.id, 'Shared name', [
      { userId: both.id, role: 'admin' },
      { userId: onlyB.id, role: 'developer' },
    ]);
    const invA = await createPendingInvitation(app, a.id, uniqueEmail('inv-a'));
    const invB = await createPendingInvitation(app, b.id, uniqueEmail('inv-b'));

    const asBoth = await app.caller(both.cookie);
    expect((await asBoth.organization.list()).map((o) => o.id).sort()).toEqual([a.id, b.id].sort());

    const membersA = await asBoth.member.list({ orgId: a.id });
    expect(membersA.map((m) => m.userId).sort()).toEqual([ownerA.id, both.id].sort());
    // Space roles listed for A are A's only.
    expect(membersA.flatMap((m) => m.spaces.map((s) => s.spaceId))).toEqual([spaceA]);

    expect((await asBoth.invitation.list({ orgId: a.id })).map((i) => i.id)).toEqual([invA.id]);
    expect((await asBoth.invitation.list({ orgId: b.id })).map((i) => i.id)).toEqual([invB.id]);
    expect((await asBoth.space.list({ orgId: a.id })).map((s) => s.id)).toEqual([spaceA]);
    expect((await asBoth.space.list({ orgId: b.id })).map((s) => s.id)).toEqual([spaceB]);
    expect((await asBoth.space.members.list({ orgId: a.id, spaceId: spaceA })).map((m) => m.userId)).toEqual([
      both.id,
    ]);

    // Ids of one organization named inside the other: NOT_FOUND, even for an admin of both.
    for (const call of [
      () => asBoth.space.byId({ orgId: a.id, spaceId: spaceB }),
      () => asBoth.space.members.list({ orgId: a.id, spaceId: spaceB }),
      () => asBoth.space.update({ orgId: a.id, spaceId: spaceB, name: 'Hijack' }),
      () => asBoth.space.delete({ orgId: a.id, spaceId: spaceB }),
      () => asBoth.space.members.add({ orgId: a.id, spaceId: spaceA, userId: onlyB.id, role: 'viewer' }),
      () => asBoth.invitation.revoke({ orgId: a.id, invitationId: invB.id }),
      () => asBoth.member.changeRole({ orgId: a.id, userId: onlyB.id, role: 'admin' }),
      () => asBoth.member.remove({ orgId: a.id, userId: onlyB.id }),
    ]) {
      expect((await rejection(call())).code).toBe('NOT_FOUND');
    }

    // A user of B alone cannot learn that A exists.
    const asOnlyB = await app.caller(onlyB.cookie);
    for (const call of [
      () => asOnlyB.organization.byId({ orgId: a.id }),
      () => asOnlyB.member.list({ orgId: a.id }),
      () => asOnlyB.space.list({ orgId: a.id }),
    ]) {
      expect((await rejection(call())).code).toBe('NOT_FOUND');
    }
    expect((await asOnlyB.organization.list()).map((o) => o.id)).toEqual([b.id]);
  });
});
