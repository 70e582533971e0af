import { avatarColorFor, normalizeScopeCatalog } from '@keysmith/domain';
import { newId } from '../src/db/ids.js';
import { Membership, type TOrgRole } from '../src/modules/membership/membership.entity.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { Space, SpaceMembership, type TSpaceRole } from '../src/modules/space/space.entity.js';
import type { TestApp, TestUser } from './harness.js';

/** An organization on a plan with one space, owned by a fresh user. Built directly in the database. */
export interface OrgFixture {
  owner: TestUser;
  orgId: string;
  spaceId: string;
}

export async function createOrgFixture(
  app: TestApp,
  options: { plan?: 'free' | 'pro' | 'team' | 'enterprise'; scopes?: string[]; prefix?: string } = {},
): Promise<OrgFixture> {
  const owner = await app.signUp();
  const c = await app.caller(owner.cookie);
  const org = await c.organization.create({ name: `Org ${newId('org').slice(-6)}` });
  const em = app.db.orm.em.fork();
  await em.nativeUpdate(
    Organization,
    { id: org.id },
    { plan: options.plan ?? 'team', keyPrefix: options.prefix ?? 'sk' },
  );
  const spaceId = await addSpace(
    app,
    org.id,
    'Payments API',
    options.scopes ?? ['payments:read', 'payments:write', 'refunds:*'],
  );
  return { owner, orgId: org.id, spaceId };
}

export async function addSpace(
  app: TestApp,
  orgId: string,
  name: string,
  scopes: string[] = [],
): Promise<string> {
  const em = app.db.orm.em.fork();
  const space = em.create(Space, {
    id: newId('spc'),
    organization: orgId,
    name,
    slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${newId('spc').slice(-4).toLowerCase()}`,
    logoColor: avatarColorFor(name),
    logoUrl: null,
    scopeCatalog: normalizeScopeCatalog(scopes),
  });
  await em.flush();
  return space.id;
}

/** Adds a new user to the organization with an org role and, optionally, a role in one space. */
export async function addMember(
  app: TestApp,
  orgId: string,
  orgRole: TOrgRole,
  space?: { spaceId: string; role: TSpaceRole },
): Promise<TestUser> {
  const user = await app.signUp();
  const em = app.db.orm.em.fork();
  em.create(Membership, { id: newId('mem'), organization: orgId, user: user.id, role: orgRole });
  if (space) {
    em.create(SpaceMembership, {
      id: newId('smb'),
      organization: orgId,
      space: space.spaceId,
      user: user.id,
      role: space.role,
    });
  }
  await em.flush();
  return user;
}
