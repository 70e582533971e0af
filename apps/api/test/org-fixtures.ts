import { avatarColorFor, generatePublicId, normalizeScopeCatalog } from '@keysmith/domain';
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { ZodError } from 'zod';
import { newId } from '../src/db/ids.js';
import type { Em } from '../src/db/orm.js';
import { sha256Hex as hashInvitationToken } from '../src/digest.js';
import { AppError } from '../src/errors.js';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { Invitation } from '../src/modules/invitation/invitation.entity.js';
import { generateInvitationToken } from '../src/modules/invitation/invitation.service.js';
import { Membership, type TOrgRole } from '../src/modules/membership/membership.entity.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { Space, SpaceMembership, type TSpaceRole } from '../src/modules/space/space.entity.js';
import { zodFieldErrors } from '../src/trpc/trpc.js';
import { cookiePair, type TestApp, type TestUser, uniqueEmail } from './harness.js';

/** The password every fixture user signs up with. */
export const PASSWORD = 'correct horse battery';

/** Runs a call that must fail and returns its tRPC error. */
export async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** The field messages a form would get (`data.fields` of the wire error). */
export function fieldErrors(error: TRPCError): Record<string, string> {
  if (error.cause instanceof AppError) return error.cause.fields ?? {};
  if (error.cause instanceof ZodError) return zodFieldErrors(error.cause);
  return {};
}

/** A fresh session for an existing user (no argon2: fixtures reuse users across cases). */
export async function sessionCookie(app: TestApp, userId: string): Promise<string> {
  return cookiePair(await app.services.sessions.create(userId, { ip: '127.0.0.1', userAgent: 'vitest' }));
}

export async function createOrg(
  app: TestApp,
  name: string,
  members: { userId: string; role: TOrgRole }[],
): Promise<{ id: string; slug: string }> {
  const em = app.db.orm.em.fork();
  const slug = `org-${newId('org').slice(-10).toLowerCase()}`;
  const org = em.create(Organization, { id: newId('org'), name, slug, plan: 'team' });
  for (const m of members) {
    em.create(Membership, { id: newId('mem'), organization: org, user: m.userId, role: m.role });
  }
  await em.flush();
  return { id: org.id, slug };
}

export async function createSpace(
  app: TestApp,
  orgId: string,
  name: string,
  roles: { userId: string; role: TSpaceRole }[] = [],
): Promise<string> {
  const em = app.db.orm.em.fork();
  const id = newId('spc');
  em.create(Space, {
    id,
    organization: orgId,
    name,
    slug: `spc-${id.slice(-10).toLowerCase()}`,
    logoColor: avatarColorFor(id),
    logoUrl: null,
    scopeCatalog: normalizeScopeCatalog([]),
    archivedAt: null,
  });
  for (const r of roles) {
    em.create(SpaceMembership, {
      id: newId('smb'),
      organization: orgId,
      space: id,
      user: r.userId,
      role: r.role,
    });
  }
  await em.flush();
  return id;
}

/** A pending invitation written directly; returns its id and the token of its link. */
export async function createPendingInvitation(
  app: TestApp,
  orgId: string,
  email: string,
  role: TOrgRole = 'member',
  invitedBy: string | null = null,
): Promise<{ id: string; token: string }> {
  const em = app.db.orm.em.fork();
  const token = generateInvitationToken();
  const inv = em.create(Invitation, {
    id: newId('inv'),
    organization: orgId,
    email,
    emailNormalized: email.toLowerCase(),
    role,
    tokenHash: hashInvitationToken(token),
    invitedBy,
    expiresAt: new Date(Date.now() + 86_400_000),
    acceptedAt: null,
    acceptedBy: null,
    revokedAt: null,
  });
  await em.flush();
  return { id: inv.id, token };
}

/** Signs up a user with the fixture password; the display name seeds the email tag. */
export function signUpUser(app: TestApp, tag: string, displayName = tag): Promise<TestUser> {
  return app.signUp(uniqueEmail(tag), PASSWORD, displayName);
}

/**
 * Queues a key row on `em` (not flushed) without the key service: a made-up secret hash, the
 * given fields over plain defaults. For tests that need many rows, or rows in states the API
 * would not produce (created long ago, used in the future).
 */
export function stubKey(
  em: Em,
  orgId: string,
  spaceId: string,
  fields: Partial<
    Pick<
      ApiKey,
      | 'scopes'
      | 'createdAt'
      | 'active'
      | 'lastUsedAt'
      | 'expiresAt'
      | 'revokedAt'
      | 'graceEndsAt'
      | 'rolledToId'
    >
  > = {},
): string {
  const id = generatePublicId('key', 16);
  em.create(ApiKey, {
    id,
    organization: orgId,
    space: spaceId,
    ownerUser: null,
    ownerKeyId: null,
    name: id,
    nameNormalized: id.toLowerCase(),
    description: '',
    category: 'production',
    environment: 'live',
    scopes: [],
    secretHash: '0'.repeat(64),
    preview: `sk_live_${id.slice(4, 8)}...wxyz`,
    ipAllowlist: [],
    ...fields,
  });
  return id;
}

/**
 * A key row written directly (keys belong to another module; here only their existence, count
 * and scopes matter).
 */
export async function insertKey(
  app: TestApp,
  orgId: string,
  spaceId: string,
  scopes: string[] = [],
  revoked = false,
): Promise<string> {
  const em = app.db.orm.em.fork();
  const id = stubKey(em, orgId, spaceId, { scopes, revokedAt: revoked ? new Date() : null });
  await em.flush();
  return id;
}
