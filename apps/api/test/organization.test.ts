import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.js';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { Invitation } from '../src/modules/invitation/invitation.entity.js';
import { Membership } from '../src/modules/membership/membership.entity.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { Space, SpaceMembership } from '../src/modules/space/space.entity.js';
import { createTestApp, type TestApp } from './harness.js';
import { createPendingInvitation, createSpace, fieldErrors, insertKey, rejection } from './org-fixtures.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.shutdown());

describe('organizations', () => {
  it('makes the creator the owner and lists it in me', async () => {
    const user = await app.signUp();
    const c = await app.caller(user.cookie);
    const org = await c.organization.create({ name: 'Acme Payments' });
    expect(org).toMatchObject({
      name: 'Acme Payments',
      slug: 'acme-payments',
      plan: 'free',
      keyPrefix: 'sk',
      role: 'owner',
    });
    const membership = await app.db.orm.em
      .fork()
      .findOneOrFail(Membership, { organization: org.id, user: user.id });
    expect(membership.role).toBe('owner');
    expect((await c.auth.me())?.organizations.map((o) => o.id)).toEqual([org.id]);
  });

  it('derives a unique slug when the name is taken, but never alters a chosen slug', async () => {
    const a = await app.caller((await app.signUp()).cookie);
    const b = await app.caller((await app.signUp()).cookie);
    const first = await a.organization.create({ name: 'Globex' });
    const second = await b.organization.create({ name: 'Globex' });
    expect(first.slug).toBe('globex');
    expect(second.slug).toMatch(/^globex-[a-z0-9]{6}$/);
    await expect(b.organization.create({ name: 'Other', slug: 'globex' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('keeps slugs unique under concurrent creation', async () => {
    const callers = await Promise.all(
      Array.from({ length: 6 }, async () => app.caller((await app.signUp()).cookie)),
    );
    const results = await Promise.allSettled(
      callers.map((c) => c.organization.create({ name: 'Race', slug: 'race-slug' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' });
    }
  });

  it('lists only the organizations the user belongs to', async () => {
    const a = await app.caller((await app.signUp()).cookie);
    const b = await app.caller((await app.signUp()).cookie);
    const orgA = await a.organization.create({ name: 'Only A' });
    await b.organization.create({ name: 'Only B' });
    expect((await a.organization.list()).map((o) => o.id)).toEqual([orgA.id]);
  });

  it('reads one organization with the caller role', async () => {
    const c = await app.caller((await app.signUp()).cookie);
    const org = await c.organization.create({ name: 'Readable' });
    expect(await c.organization.byId({ orgId: org.id })).toEqual(org);
  });

  it('renames, changes slug and key prefix; a taken slug is a CONFLICT on the slug field', async () => {
    const c = await app.caller((await app.signUp()).cookie);
    const org = await c.organization.create({ name: 'Before' });
    const taken = await c.organization.create({ name: 'Taken name', slug: 'taken-slug' });
    const updated = await c.organization.update({
      orgId: org.id,
      name: 'After',
      slug: 'after-slug',
      keyPrefix: 'acme',
    });
    expect(updated).toMatchObject({ name: 'After', slug: 'after-slug', keyPrefix: 'acme', role: 'owner' });
    const conflict = await rejection(c.organization.update({ orgId: org.id, slug: taken.slug }));
    expect(conflict.code).toBe('CONFLICT');
    expect(fieldErrors(conflict).slug).toBe('This slug is already taken');
    const badPrefix = await rejection(c.organization.update({ orgId: org.id, keyPrefix: 'Sk_1' }));
    expect(badPrefix.code).toBe('BAD_REQUEST');
    expect(fieldErrors(badPrefix).keyPrefix).toMatch(/Prefix/);
    const badSlug = await rejection(c.organization.update({ orgId: org.id, slug: '-nope-' }));
    expect(fieldErrors(badSlug).slug).toBeDefined();
  });

  it('changes the plan', async () => {
    const c = await app.caller((await app.signUp()).cookie);
    const org = await c.organization.create({ name: 'Planned' });
    expect((await c.organization.changePlan({ orgId: org.id, plan: 'enterprise' })).plan).toBe('enterprise');
    expect((await rejection(c.organization.changePlan({ orgId: org.id, plan: 'gold' as 'pro' }))).code).toBe(
      'BAD_REQUEST',
    );
  });

  it('deletes only when the slug is typed, with everything the organization owns', async () => {
    const owner = await app.signUp();
    const c = await app.caller(owner.cookie);
    const org = await c.organization.create({ name: 'Doomed' });
    const spaceId = await createSpace(app, org.id, 'Doomed space', [{ userId: owner.id, role: 'admin' }]);
    await createPendingInvitation(app, org.id, 'someone@example.test');
    const keyId = await insertKey(app, org.id, spaceId);
    const announced: string[] = [];
    const unsubscribe = app.services.keyChanges.subscribe((_org, id) => announced.push(id));

    const wrong = await rejection(c.organization.delete({ orgId: org.id, confirmSlug: 'doomed-typo' }));
    expect(wrong.code).toBe('BAD_REQUEST');
    expect(fieldErrors(wrong).confirmSlug).toContain(org.slug);

    expect(await c.organization.delete({ orgId: org.id, confirmSlug: org.slug })).toEqual({
      id: org.id,
      deleted: true,
    });
    const em = app.db.orm.em.fork();
    expect(await em.count(Organization, { id: org.id })).toBe(0);
    expect(await em.count(Membership, { organization: org.id })).toBe(0);
    expect(await em.count(Space, { id: spaceId })).toBe(0);
    expect(await em.count(SpaceMembership, { organization: org.id })).toBe(0);
    expect(await em.count(Invitation, { organization: org.id })).toBe(0);
    // The audit trail outlives the organization.
    expect(await em.count(AuditEvent, { organizationId: org.id, action: 'organization.delete' })).toBe(1);
    expect((await rejection(c.organization.byId({ orgId: org.id }))).code).toBe('NOT_FOUND');
    // Its keys are gone, and the verification caches were told so.
    expect(await em.count(ApiKey, { id: keyId })).toBe(0);
    expect(announced).toEqual([keyId]);
    unsubscribe();
  });

  it('transfers ownership to a member: they become owner, the caller admin', async () => {
    const owner = await app.signUp();
    const heir = await app.signUp();
    const stranger = await app.signUp();
    const c = await app.caller(owner.cookie);
    const org = await c.organization.create({ name: 'Heritage' });
    const em0 = app.db.orm.em.fork();
    em0.create(Membership, { id: newId('mem'), organization: org.id, user: heir.id, role: 'member' });
    await em0.flush();

    expect(
      (await rejection(c.organization.transferOwnership({ orgId: org.id, userId: stranger.id }))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await rejection(c.organization.transferOwnership({ orgId: org.id, userId: owner.id }))).code,
    ).toBe('BAD_REQUEST');
    const after = await c.organization.transferOwnership({ orgId: org.id, userId: heir.id });
    expect(after.role).toBe('admin');
    const em = app.db.orm.em.fork();
    const roles = await em.find(Membership, { organization: org.id }, { orderBy: { role: 'asc' } });
    expect(Object.fromEntries(roles.map((m) => [m.user.id, m.role]))).toEqual({
      [owner.id]: 'admin',
      [heir.id]: 'owner',
    });
    // The former owner no longer has owner powers.
    expect((await rejection(c.organization.changePlan({ orgId: org.id, plan: 'pro' }))).code).toBe(
      'FORBIDDEN',
    );
  });
});
