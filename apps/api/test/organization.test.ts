import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Membership } from '../src/modules/membership/membership.entity.js';
import { createTestApp, type TestApp } from './harness.js';

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
});
