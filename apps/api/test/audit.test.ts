import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { createTestApp, type TestApp, type TestUser, uniqueEmail } from './harness.js';
import { insertKey, signUpUser } from './org-fixtures.js';

const IP = '203.0.113.7';

let app: TestApp;
let owner: TestUser;
let colleague: TestUser;
let joiner: TestUser;

beforeAll(async () => {
  app = await createTestApp();
  [owner, colleague, joiner] = (await Promise.all(
    ['owner', 'colleague', 'joiner'].map((tag) => signUpUser(app, tag)),
  )) as [TestUser, TestUser, TestUser];
});
afterAll(() => app.shutdown());

async function events(orgId: string): Promise<AuditEvent[]> {
  return app.db.orm.em.fork().find(AuditEvent, { organizationId: orgId }, { orderBy: { createdAt: 'asc' } });
}

function only(list: AuditEvent[], action: string): AuditEvent {
  const found = list.filter((e) => e.action === action);
  expect(found, `exactly one ${action} row`).toHaveLength(1);
  const [event] = found;
  if (!event) throw new Error(`no ${action}`);
  return event;
}

function tokenOf(link: string): string {
  return link.split('/invite/')[1] ?? '';
}

describe(`audit events on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('records actor, action, target, IP and changed fields for every mutation', async () => {
    const c = await app.caller(owner.cookie, IP);
    const org = await c.organization.create({ name: 'Audited', slug: `audited-${Date.now().toString(36)}` });
    await c.organization.update({ orgId: org.id, name: 'Audited Inc', keyPrefix: 'aud' });
    // A no-op update writes nothing.
    await c.organization.update({ orgId: org.id, name: 'Audited Inc' });
    await c.organization.changePlan({ orgId: org.id, plan: 'pro' });

    // Colleague joins by invitation, is promoted, then demoted.
    const inv = await c.invitation.create({ orgId: org.id, email: colleague.email, role: 'member' });
    await (await app.caller(colleague.cookie, '198.51.100.9')).invitation.accept({
      token: tokenOf(inv.link),
    });
    await c.member.changeRole({ orgId: org.id, userId: colleague.id, role: 'admin' });
    const revoked = await c.invitation.create({
      orgId: org.id,
      email: uniqueEmail('revoked'),
      role: 'member',
    });
    await c.invitation.revoke({ orgId: org.id, invitationId: revoked.invitation.id });

    const space = await c.space.create({ orgId: org.id, name: 'Ledger' });
    await c.space.update({
      orgId: org.id,
      spaceId: space.id,
      name: 'Ledger API',
      scopeCatalog: ['ledger:read'],
    });
    await c.space.members.add({ orgId: org.id, spaceId: space.id, userId: colleague.id, role: 'viewer' });
    await c.space.members.changeRole({
      orgId: org.id,
      spaceId: space.id,
      userId: colleague.id,
      role: 'admin',
    });
    await c.space.members.remove({ orgId: org.id, spaceId: space.id, userId: colleague.id });
    await c.space.delete({ orgId: org.id, spaceId: space.id });

    const inv2 = await c.invitation.create({ orgId: org.id, email: joiner.email, role: 'member' });
    const asJoiner = await app.caller(joiner.cookie, IP);
    await asJoiner.invitation.accept({ token: tokenOf(inv2.link) });
    await asJoiner.member.leave({ orgId: org.id });
    await c.member.remove({ orgId: org.id, userId: colleague.id });

    const list = await events(org.id);
    for (const e of list) {
      expect(e.organizationId).toBe(org.id);
      expect(e.actorType).toBe('user');
      expect(e.createdAt).toBeInstanceOf(Date);
    }

    const created = only(list, 'organization.create');
    expect(created).toMatchObject({
      actorId: owner.id,
      actorLabel: owner.email,
      ip: IP,
      targetType: 'organization',
      targetId: org.id,
      before: null,
      after: { name: 'Audited', plan: 'free', keyPrefix: 'sk' },
    });
    expect(only(list, 'organization.update')).toMatchObject({
      before: { name: 'Audited', keyPrefix: 'sk' },
      after: { name: 'Audited Inc', keyPrefix: 'aud' },
    });
    // Changed fields only: the slug did not change.
    expect(only(list, 'organization.update').after).not.toHaveProperty('slug');
    expect(only(list, 'organization.plan_change')).toMatchObject({
      before: { plan: 'free' },
      after: { plan: 'pro' },
    });

    const invCreates = list.filter((e) => e.action === 'invitation.create');
    expect(invCreates).toHaveLength(3);
    expect(invCreates[0]).toMatchObject({
      targetType: 'invitation',
      targetId: inv.invitation.id,
      targetLabel: colleague.email,
      after: { email: colleague.email, role: 'member' },
    });
    const accepts = list.filter((e) => e.action === 'invitation.accept');
    expect(accepts[0]).toMatchObject({
      actorId: colleague.id,
      actorLabel: colleague.email,
      ip: '198.51.100.9',
      before: { status: 'pending' },
      after: { status: 'accepted', userId: colleague.id, role: 'member' },
    });
    expect(only(list, 'invitation.revoke')).toMatchObject({
      targetId: revoked.invitation.id,
      before: { status: 'pending' },
      after: { status: 'revoked' },
    });
    expect(only(list, 'member.role_change')).toMatchObject({
      targetType: 'member',
      targetId: colleague.id,
      targetLabel: colleague.email,
      before: { role: 'member' },
      after: { role: 'admin' },
    });

    expect(only(list, 'space.create')).toMatchObject({
      targetType: 'space',
      targetId: space.id,
      after: { name: 'Ledger', slug: 'ledger' },
    });
    const spaceUpdate = only(list, 'space.update');
    expect(spaceUpdate.before).toEqual({
      name: 'Ledger',
      scopeCatalog: ['keys:delete', 'keys:read', 'keys:verify', 'keys:write'],
    });
    expect(spaceUpdate.after).toEqual({
      name: 'Ledger API',
      scopeCatalog: ['keys:delete', 'keys:read', 'keys:verify', 'keys:write', 'ledger:read'],
    });
    expect(only(list, 'space.member_add')).toMatchObject({
      targetId: space.id,
      after: { userId: colleague.id, role: 'viewer' },
    });
    expect(only(list, 'space.member_role_change')).toMatchObject({
      before: { userId: colleague.id, role: 'viewer' },
      after: { userId: colleague.id, role: 'admin' },
    });
    expect(only(list, 'space.member_remove')).toMatchObject({
      before: { userId: colleague.id, role: 'admin' },
      after: null,
    });
    expect(only(list, 'space.delete')).toMatchObject({ targetId: space.id, before: { name: 'Ledger API' } });

    expect(only(list, 'member.leave')).toMatchObject({
      actorId: joiner.id,
      targetId: joiner.id,
      before: { role: 'member' },
      after: null,
    });
    expect(only(list, 'member.remove')).toMatchObject({
      actorId: owner.id,
      targetId: colleague.id,
      before: { role: 'admin', spaceRoles: {} },
    });

    // No invitation token, or its hash, in any row.
    const dump = JSON.stringify(list);
    for (const link of [inv.link, inv2.link, revoked.link]) expect(dump).not.toContain(tokenOf(link));
  });

  it('records archive, unarchive, ownership transfer and deletion', async () => {
    const c = await app.caller(owner.cookie, IP);
    const org = await c.organization.create({ name: 'Lifecycle' });
    const space = await c.space.create({ orgId: org.id, name: 'Kept' });
    // A key makes delete archive instead.
    await insertKey(app, org.id, space.id);
    expect((await c.space.delete({ orgId: org.id, spaceId: space.id })).outcome).toBe('archived');
    await c.space.unarchive({ orgId: org.id, spaceId: space.id });
    const inv = await c.invitation.create({ orgId: org.id, email: joiner.email, role: 'member' });
    await (await app.caller(joiner.cookie)).invitation.accept({ token: tokenOf(inv.link) });
    await c.organization.transferOwnership({ orgId: org.id, userId: joiner.id });
    const asNewOwner = await app.caller(joiner.cookie, IP);
    await asNewOwner.organization.delete({ orgId: org.id, confirmSlug: org.slug });

    const list = await events(org.id);
    expect(only(list, 'space.archive')).toMatchObject({
      targetId: space.id,
      before: { archived: false },
      after: { archived: true, keyCount: 1 },
    });
    expect(only(list, 'space.unarchive')).toMatchObject({
      before: { archived: true },
      after: { archived: false },
    });
    expect(only(list, 'organization.ownership_transfer')).toMatchObject({
      actorId: owner.id,
      targetId: joiner.id,
      before: { previousOwnerRole: 'owner', newOwnerRole: 'member' },
      after: { previousOwnerRole: 'admin', newOwnerRole: 'owner' },
    });
    expect(only(list, 'organization.delete')).toMatchObject({
      actorId: joiner.id,
      before: { name: 'Lifecycle', slug: org.slug },
      after: null,
    });
  });
});
