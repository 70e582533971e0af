import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { Invitation } from '../src/modules/invitation/invitation.entity.js';
import { Membership } from '../src/modules/membership/membership.entity.js';
import { createTestApp, type TestApp, type TestUser, uniqueEmail } from './harness.js';
import { createOrg, fieldErrors, rejection, signUpUser } from './org-fixtures.js';

const PUBLIC_URL = 'https://admin.keysmith.test';

let app: TestApp;
let owner: TestUser;
let admin: TestUser;
let member: TestUser;

beforeAll(async () => {
  app = await createTestApp({ PUBLIC_URL });
  [owner, admin, member] = (await Promise.all(
    ['owner', 'admin', 'member'].map((tag) => signUpUser(app, tag, `${tag} person`)),
  )) as [TestUser, TestUser, TestUser];
});
afterAll(() => app.shutdown());

async function team() {
  return createOrg(app, 'Inviting Org', [
    { userId: owner.id, role: 'owner' },
    { userId: admin.id, role: 'admin' },
    { userId: member.id, role: 'member' },
  ]);
}

function tokenOf(link: string): string {
  const token = link.split('/invite/')[1];
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

async function invitationRow(id: string): Promise<Invitation> {
  return app.db.orm.em.fork().findOneOrFail(Invitation, { id });
}

describe(`invitations on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('creates an invitation, shows the link once and stores only the SHA-256 of the token', async () => {
    const org = await team();
    const email = uniqueEmail('Invitee');
    const before = Date.now();
    const { invitation, link } = await (await app.caller(admin.cookie)).invitation.create({
      orgId: org.id,
      email,
      role: 'member',
    });
    const token = tokenOf(link);
    expect(link).toBe(`${PUBLIC_URL}/invite/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(invitation).toMatchObject({ email: email.toLowerCase(), role: 'member', status: 'pending' });
    expect(invitation.invitedBy?.id).toBe(admin.id);
    const expiresIn = invitation.expiresAt.getTime() - before;
    expect(expiresIn).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86_400_000 + 60_000);

    const row = await invitationRow(invitation.id);
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    // The token appears nowhere else: not in the list, not in any audit row.
    const listed = await (await app.caller(owner.cookie)).invitation.list({ orgId: org.id });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(JSON.stringify(listed)).not.toContain(row.tokenHash);
    const audits = await app.db.orm.em.fork().find(AuditEvent, { organizationId: org.id });
    expect(JSON.stringify(audits)).not.toContain(token);
    expect(JSON.stringify(audits)).not.toContain(row.tokenHash);
  });

  it('refuses to invite an existing member, naming the email field', async () => {
    const org = await team();
    const error = await rejection(
      (await app.caller(owner.cookie)).invitation.create({
        orgId: org.id,
        email: member.email.toUpperCase(),
        role: 'admin',
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(fieldErrors(error).email).toMatch(/already a member/);
  });

  it('lets only owners invite owners', async () => {
    const org = await team();
    const error = await rejection(
      (await app.caller(admin.cookie)).invitation.create({
        orgId: org.id,
        email: uniqueEmail(),
        role: 'owner',
      }),
    );
    expect(error.code).toBe('FORBIDDEN');
    const ok = await (await app.caller(owner.cookie)).invitation.create({
      orgId: org.id,
      email: uniqueEmail(),
      role: 'owner',
    });
    expect(ok.invitation.role).toBe('owner');
  });

  it('replaces a still-pending invitation for the same email; the old link stops working', async () => {
    const org = await team();
    const c = await app.caller(owner.cookie);
    const email = uniqueEmail('twice');
    const first = await c.invitation.create({ orgId: org.id, email, role: 'member' });
    const second = await c.invitation.create({ orgId: org.id, email: email.toUpperCase(), role: 'admin' });
    const list = await c.invitation.list({ orgId: org.id });
    expect(list.find((i) => i.id === first.invitation.id)?.status).toBe('revoked');
    expect(list.find((i) => i.id === second.invitation.id)?.status).toBe('pending');
    const anon = await app.caller();
    expect((await anon.invitation.preview({ token: tokenOf(first.link) })).status).toBe('revoked');
    expect((await anon.invitation.preview({ token: tokenOf(second.link) })).status).toBe('valid');
  });

  it('computes pending, accepted, revoked and expired statuses', async () => {
    const org = await team();
    const c = await app.caller(owner.cookie);
    const invitee = await signUpUser(app, 'statuses');
    const accepted = await c.invitation.create({ orgId: org.id, email: invitee.email, role: 'member' });
    await (await app.caller(invitee.cookie)).invitation.accept({ token: tokenOf(accepted.link) });
    const revoked = await c.invitation.create({ orgId: org.id, email: uniqueEmail(), role: 'member' });
    await c.invitation.revoke({ orgId: org.id, invitationId: revoked.invitation.id });
    const expired = await c.invitation.create({ orgId: org.id, email: uniqueEmail(), role: 'member' });
    await app.db.orm.em
      .fork()
      .nativeUpdate(Invitation, { id: expired.invitation.id }, { expiresAt: new Date(Date.now() - 1000) });
    const pending = await c.invitation.create({ orgId: org.id, email: uniqueEmail(), role: 'admin' });

    const statuses = Object.fromEntries(
      (await c.invitation.list({ orgId: org.id })).map((i) => [i.id, i.status]),
    );
    expect(statuses).toEqual({
      [accepted.invitation.id]: 'accepted',
      [revoked.invitation.id]: 'revoked',
      [expired.invitation.id]: 'expired',
      [pending.invitation.id]: 'pending',
    });
  });

  it('previews an invitation publicly; an unknown token is NOT_FOUND', async () => {
    const org = await team();
    const email = uniqueEmail('preview');
    const { link } = await (await app.caller(owner.cookie)).invitation.create({
      orgId: org.id,
      email,
      role: 'admin',
    });
    const anon = await app.caller();
    expect(await anon.invitation.preview({ token: tokenOf(link) })).toMatchObject({
      organizationName: 'Inviting Org',
      inviterName: 'owner person',
      email: email.toLowerCase(),
      role: 'admin',
      status: 'valid',
    });
    expect((await rejection(anon.invitation.preview({ token: 'x'.repeat(43) }))).code).toBe('NOT_FOUND');
  });

  it('accepts only for the invited email, creating the membership with the invited role', async () => {
    const org = await team();
    const invitee = await signUpUser(app, 'Accepting');
    const stranger = await signUpUser(app, 'stranger');
    const { link, invitation } = await (await app.caller(owner.cookie)).invitation.create({
      orgId: org.id,
      email: invitee.email.toUpperCase(),
      role: 'admin',
    });
    const token = tokenOf(link);

    const wrong = await rejection((await app.caller(stranger.cookie)).invitation.accept({ token }));
    expect(wrong.code).toBe('FORBIDDEN');
    expect(wrong.message).toContain(invitee.email.toLowerCase());
    expect(wrong.message).toMatch(/sign in with that email/i);
    expect((await rejection((await app.caller()).invitation.accept({ token }))).code).toBe('UNAUTHORIZED');

    const joined = await (await app.caller(invitee.cookie)).invitation.accept({ token });
    expect(joined).toMatchObject({ id: org.id, role: 'admin' });
    const row = await invitationRow(invitation.id);
    expect(row.acceptedAt).toBeInstanceOf(Date);
    expect(row.acceptedBy?.id).toBe(invitee.id);
    expect((await (await app.caller(invitee.cookie)).member.list({ orgId: org.id })).length).toBe(4);
  });

  it('never lets an accepted, revoked or expired invitation be used again', async () => {
    const org = await team();
    const c = await app.caller(owner.cookie);
    const invitee = await signUpUser(app, 'reuse');
    const asInvitee = await app.caller(invitee.cookie);

    const accepted = await c.invitation.create({ orgId: org.id, email: invitee.email, role: 'member' });
    await asInvitee.invitation.accept({ token: tokenOf(accepted.link) });
    const again = await rejection(asInvitee.invitation.accept({ token: tokenOf(accepted.link) }));
    expect(again.code).toBe('PRECONDITION_FAILED');
    expect(again.message).toMatch(/already been used/);
    // Even after leaving, the used link does not let them back in.
    await asInvitee.member.leave({ orgId: org.id });
    expect((await rejection(asInvitee.invitation.accept({ token: tokenOf(accepted.link) }))).code).toBe(
      'PRECONDITION_FAILED',
    );

    const revoked = await c.invitation.create({ orgId: org.id, email: invitee.email, role: 'member' });
    await c.invitation.revoke({ orgId: org.id, invitationId: revoked.invitation.id });
    const r = await rejection(asInvitee.invitation.accept({ token: tokenOf(revoked.link) }));
    expect(r.code).toBe('PRECONDITION_FAILED');
    expect(r.message).toMatch(/revoked/);

    const expired = await c.invitation.create({ orgId: org.id, email: invitee.email, role: 'member' });
    await app.db.orm.em
      .fork()
      .nativeUpdate(Invitation, { id: expired.invitation.id }, { expiresAt: new Date(Date.now() - 1) });
    const e = await rejection(asInvitee.invitation.accept({ token: tokenOf(expired.link) }));
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.message).toMatch(/expired/);
    expect(await app.db.orm.em.fork().count(Membership, { organization: org.id, user: invitee.id })).toBe(0);

    const accepted2 = await c.invitation.create({ orgId: org.id, email: invitee.email, role: 'member' });
    await asInvitee.invitation.accept({ token: tokenOf(accepted2.link) });
    const revokeAccepted = await rejection(
      c.invitation.revoke({ orgId: org.id, invitationId: accepted2.invitation.id }),
    );
    expect(revokeAccepted.code).toBe('PRECONDITION_FAILED');
  });

  it('lets exactly one of several concurrent accepts succeed', async () => {
    for (let round = 0; round < 3; round++) {
      const org = await team();
      const invitee = await signUpUser(app, 'race');
      const { link } = await (await app.caller(owner.cookie)).invitation.create({
        orgId: org.id,
        email: invitee.email,
        role: 'member',
      });
      const callers = await Promise.all(Array.from({ length: 4 }, () => app.caller(invitee.cookie)));
      const results = await Promise.allSettled(
        callers.map((c) => c.invitation.accept({ token: tokenOf(link) })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'PRECONDITION_FAILED' });
      }
      const em = app.db.orm.em.fork();
      expect(await em.count(Membership, { organization: org.id, user: invitee.id })).toBe(1);
      expect(await em.count(AuditEvent, { organizationId: org.id, action: 'invitation.accept' })).toBe(1);
    }
  });
});
