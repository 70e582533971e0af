/**
 * The authorization matrix (issue 3): every procedure of the app router, called by every kind
 * of actor with input that is valid in every other respect, must answer exactly as the table
 * says. A procedure without a row fails the suite, so no new procedure can skip the matrix.
 */

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.js';
import { newId } from '../src/db/ids.js';
import { ZCreateKeySchema } from '../src/modules/api-key/api-key.schemas.js';
import { createKey } from '../src/modules/api-key/create-key.js';
import { emitEvent } from '../src/modules/event/event.service.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { SecurityEvent } from '../src/modules/security/security-event.entity.js';
import { WebhookDelivery } from '../src/modules/webhook/webhook.entity.js';
import { createEndpoint } from '../src/modules/webhook/webhook.service.js';
import { appRouter } from '../src/trpc/root.js';
import { createTestApp, type TestApp, type TestUser, uniqueEmail } from './harness.js';
import {
  createOrg,
  createPendingInvitation,
  createSpace,
  PASSWORD,
  sessionCookie,
  signUpUser,
} from './org-fixtures.js';

const ACTORS = [
  'anonymous',
  /** Org owner of A. */
  'owner',
  /** Org admin of A. */
  'admin',
  /** Org members of A with a role on space S. */
  'spaceAdmin',
  'developer',
  'viewer',
  /** Org member of A with no role on S. */
  'noSpaceRole',
  /** Owner of organization B, naming organization A and A's ids. */
  'outsider',
  /** The same owner of B, acting in B but naming A's ids (space, member, invitation). */
  'foreignIds',
] as const;
type TActor = (typeof ACTORS)[number];
type TOutcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND';

const TOKENS: Record<string, TOutcome> = {
  ok: 'ok',
  UNA: 'UNAUTHORIZED',
  FOR: 'FORBIDDEN',
  NF: 'NOT_FOUND',
};

/** One row of the matrix, in the column order of {@link ACTORS}. */
function row(cells: string): Record<TActor, TOutcome> {
  const parts = cells.trim().split(/\s+/);
  if (parts.length !== ACTORS.length) throw new Error(`matrix row needs ${ACTORS.length} cells: ${cells}`);
  return Object.fromEntries(
    ACTORS.map((actor, i) => {
      const outcome = TOKENS[parts[i] ?? ''];
      if (!outcome) throw new Error(`unknown cell "${parts[i]}" in: ${cells}`);
      return [actor, outcome];
    }),
  ) as Record<TActor, TOutcome>;
}

// biome-ignore format: the matrix reads as a table
const EXPECTED: Record<string, Record<TActor, TOutcome>> = {
  //                                   anon owner admin sAdm dev  view noRole outsider foreignIds
  'auth.signUp':                   row('ok  ok    ok    ok   ok   ok   ok     ok       ok'),
  'auth.signIn':                   row('ok  ok    ok    ok   ok   ok   ok     ok       ok'),
  'auth.signOut':                  row('ok  ok    ok    ok   ok   ok   ok     ok       ok'),
  'auth.me':                       row('ok  ok    ok    ok   ok   ok   ok     ok       ok'),
  'auth.changePassword':           row('UNA ok    ok    ok   ok   ok   ok     ok       ok'),
  'organization.list':             row('UNA ok    ok    ok   ok   ok   ok     ok       ok'),
  'organization.create':           row('UNA ok    ok    ok   ok   ok   ok     ok       ok'),
  'organization.byId':             row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'organization.update':           row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'organization.changePlan':       row('UNA ok    FOR   FOR  FOR  FOR  FOR    NF       ok'),
  'organization.delete':           row('UNA ok    FOR   FOR  FOR  FOR  FOR    NF       ok'),
  'organization.transferOwnership':row('UNA ok    FOR   FOR  FOR  FOR  FOR    NF       NF'),
  'member.list':                   row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'member.changeRole':             row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'member.remove':                 row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'member.leave':                  row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'invitation.create':             row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'invitation.list':               row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'invitation.revoke':             row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'invitation.preview':            row('ok  ok    ok    ok   ok   ok   ok     ok       ok'),
  'invitation.accept':             row('UNA ok    ok    ok   ok   ok   ok     ok       ok'),
  'space.list':                    row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'space.byId':                    row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'space.create':                  row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'space.update':                  row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'space.uploadLogo':              row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'space.delete':                  row('UNA ok    ok    FOR  FOR  FOR  NF     NF       NF'),
  'space.unarchive':               row('UNA ok    ok    FOR  FOR  FOR  NF     NF       NF'),
  'space.members.list':            row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'space.members.add':             row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'space.members.changeRole':      row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'space.members.remove':          row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  // Keys: the case's key K lives in space S and was created by the org owner.
  'key.list':                      row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'key.byId':                      row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'key.categories':                row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'key.create':                    row('UNA ok    ok    ok   ok   FOR  NF     NF       NF'),
  'key.update':                    row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'key.deactivate':                row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'key.reactivate':                row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'key.revoke':                    row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'key.delete':                    row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'key.roll':                      row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  // Holding the full key of K proves the leak, whatever the role (§11).
  'key.reportLeak':                row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  // Key policies (§10): the organization's and space S's.
  'keyPolicy.get':                 row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'keyPolicy.updateOrganization':  row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'keyPolicy.updateSpace':         row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  'keyPolicy.preview':             row('UNA ok    ok    ok   FOR  FOR  NF     NF       NF'),
  // Usage and request logs of key K (space S); the overview covers the spaces the actor may read.
  'usage.key':                     row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'usage.keySeries':               row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'usage.overview':                row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'log.list':                      row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'log.exportCsv':                 row('UNA ok    ok    ok   ok   ok   NF     NF       NF'),
  'audit.list':                    row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'audit.exportCsv':               row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  // Security: IP X is blocked, attributed to A.
  'security.list':                 row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'security.failedAuth':           row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'security.rateLimitHits':        row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'security.blockedIps':           row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'security.unblockIp':            row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  // Webhooks: endpoint E and its failed delivery D belong to A.
  'webhook.list':                  row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'webhook.create':                row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       ok'),
  'webhook.update':                row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'webhook.rotateSecret':          row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'webhook.delete':                row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'webhook.deliveries':            row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'webhook.redeliver':             row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'webhook.sendTest':              row('UNA ok    ok    FOR  FOR  FOR  FOR    NF       NF'),
  'notification.list':             row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
  'notification.markRead':         row('UNA ok    ok    ok   ok   ok   ok     NF       NF'),
  'notification.markAllRead':      row('UNA ok    ok    ok   ok   ok   ok     NF       ok'),
};

/** Users are shared by all cases (argon2 is slow); organizations and spaces are fresh per case. */
interface Users {
  owner: TestUser;
  coOwner: TestUser;
  admin: TestUser;
  spaceAdmin: TestUser;
  developer: TestUser;
  viewer: TestUser;
  noSpaceRole: TestUser;
  target: TestUser;
  outsider: TestUser;
}

/** Everything one case may need: A (the organization under test), B (the outsider's), ids of A. */
interface World {
  /** The organization the actor names: A, or B for `foreignIds`. */
  orgId: string;
  orgSlug: string;
  /** Space S of A, where the space roles are. */
  spaceId: string;
  /** Key K in space S of A, created by A's owner, never used. */
  keyId: string;
  /** The full key of K (shown once at creation). */
  keyToken: string;
  /** A pending invitation of A. */
  invitationId: string;
  invitationToken: string;
  /** A pending invitation, in a third organization, addressed to the actor's own email. */
  acceptToken: string;
  /** IP X: blocked for failed attempts, the block attributed to A. */
  blockedIp: string;
  /** Webhook endpoint E of A (created by A's owner) and a failed delivery D to it. */
  webhookEndpointId: string;
  webhookDeliveryId: string;
  /** The event of D: a notification every member of A may see (it names no space). */
  notificationEventId: string;
  users: Users;
  actorUser: TestUser | null;
}

type TInputBuilder = (w: World) => unknown;

/** A valid key policy that tightens nothing for K (no expiry rule): only authorization can refuse. */
const POLICY = {
  maxLifetimeDays: null,
  requireExpiry: false,
  idleDeactivateDays: 365,
  rotationReminderDays: 90,
  requireIpAllowlistForLive: false,
};

/** A 1×1 transparent PNG. */
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Valid input for each procedure, so that authorization is the only reason to refuse. */
const INPUTS: Record<string, TInputBuilder> = {
  'auth.signUp': () => ({ email: uniqueEmail('matrix'), password: PASSWORD, displayName: 'Matrix User' }),
  'auth.signIn': (w) => ({ email: (w.actorUser ?? w.users.target).email, password: PASSWORD }),
  'auth.signOut': () => undefined,
  'auth.me': () => undefined,
  'auth.changePassword': () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }),
  'organization.list': () => undefined,
  'organization.create': () => ({ name: 'Matrix Org' }),
  'organization.byId': (w) => ({ orgId: w.orgId }),
  'organization.update': (w) => ({ orgId: w.orgId, name: 'Renamed Org' }),
  'organization.changePlan': (w) => ({ orgId: w.orgId, plan: 'enterprise' }),
  'organization.delete': (w) => ({ orgId: w.orgId, confirmSlug: w.orgSlug }),
  'organization.transferOwnership': (w) => ({ orgId: w.orgId, userId: w.users.target.id }),
  'member.list': (w) => ({ orgId: w.orgId }),
  'member.changeRole': (w) => ({ orgId: w.orgId, userId: w.users.target.id, role: 'admin' }),
  'member.remove': (w) => ({ orgId: w.orgId, userId: w.users.target.id }),
  'member.leave': (w) => ({ orgId: w.orgId }),
  'invitation.create': (w) => ({ orgId: w.orgId, email: uniqueEmail('invitee'), role: 'member' }),
  'invitation.list': (w) => ({ orgId: w.orgId }),
  'invitation.revoke': (w) => ({ orgId: w.orgId, invitationId: w.invitationId }),
  'invitation.preview': (w) => ({ token: w.invitationToken }),
  'invitation.accept': (w) => ({ token: w.acceptToken }),
  'space.list': (w) => ({ orgId: w.orgId }),
  'space.byId': (w) => ({ orgId: w.orgId, spaceId: w.spaceId }),
  'space.create': (w) => ({ orgId: w.orgId, name: 'New space' }),
  'space.update': (w) => ({ orgId: w.orgId, spaceId: w.spaceId, name: 'Renamed space' }),
  'space.uploadLogo': (w) => ({ orgId: w.orgId, spaceId: w.spaceId, contentBase64: PNG_1PX }),
  'space.delete': (w) => ({ orgId: w.orgId, spaceId: w.spaceId }),
  'space.unarchive': (w) => ({ orgId: w.orgId, spaceId: w.spaceId }),
  'space.members.list': (w) => ({ orgId: w.orgId, spaceId: w.spaceId }),
  'space.members.add': (w) => ({
    orgId: w.orgId,
    spaceId: w.spaceId,
    userId: w.users.noSpaceRole.id,
    role: 'developer',
  }),
  'space.members.changeRole': (w) => ({
    orgId: w.orgId,
    spaceId: w.spaceId,
    userId: w.users.target.id,
    role: 'developer',
  }),
  'space.members.remove': (w) => ({ orgId: w.orgId, spaceId: w.spaceId, userId: w.users.target.id }),
  'key.list': (w) => ({ orgId: w.orgId }),
  'key.byId': (w) => ({ orgId: w.orgId, keyId: w.keyId }),
  'key.categories': (w) => ({ orgId: w.orgId }),
  'key.create': (w) => ({ orgId: w.orgId, spaceId: w.spaceId, name: 'Matrix key' }),
  'key.update': (w) => ({ orgId: w.orgId, keyId: w.keyId, patch: { description: 'edited' } }),
  'key.deactivate': (w) => ({ orgId: w.orgId, keyId: w.keyId }),
  'key.reactivate': (w) => ({ orgId: w.orgId, keyId: w.keyId }),
  'key.revoke': (w) => ({ orgId: w.orgId, keyId: w.keyId }),
  'key.delete': (w) => ({ orgId: w.orgId, keyId: w.keyId }),
  'key.roll': (w) => ({ orgId: w.orgId, keyId: w.keyId, gracePeriodSeconds: 60 }),
  'key.reportLeak': (w) => ({ orgId: w.orgId, token: w.keyToken }),
  'keyPolicy.get': (w) => ({ orgId: w.orgId, spaceId: w.spaceId }),
  'keyPolicy.updateOrganization': (w) => ({
    orgId: w.orgId,
    policy: POLICY,
    leakResponse: 'deactivate',
  }),
  'keyPolicy.updateSpace': (w) => ({ orgId: w.orgId, spaceId: w.spaceId, policy: POLICY }),
  'keyPolicy.preview': (w) => ({ orgId: w.orgId, spaceId: w.spaceId, policy: POLICY }),
  'usage.key': (w) => ({ orgId: w.orgId, keyId: w.keyId }),
  'usage.keySeries': (w) => ({ orgId: w.orgId, keyId: w.keyId, range: '7d' }),
  'usage.overview': (w) => ({ orgId: w.orgId }),
  'log.list': (w) => ({ orgId: w.orgId, keyId: w.keyId }),
  'log.exportCsv': (w) => ({
    orgId: w.orgId,
    keyId: w.keyId,
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date().toISOString(),
  }),
  'audit.list': (w) => ({ orgId: w.orgId }),
  'audit.exportCsv': (w) => ({
    orgId: w.orgId,
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  }),
  'security.list': (w) => ({ orgId: w.orgId }),
  'security.failedAuth': (w) => ({ orgId: w.orgId }),
  'security.rateLimitHits': (w) => ({ orgId: w.orgId }),
  'security.blockedIps': (w) => ({ orgId: w.orgId }),
  'security.unblockIp': (w) => ({ orgId: w.orgId, ip: w.blockedIp }),
  'webhook.list': (w) => ({ orgId: w.orgId }),
  'webhook.create': (w) => ({
    orgId: w.orgId,
    url: 'https://hooks.example.invalid/matrix',
    events: ['key.expiring'],
  }),
  'webhook.update': (w) => ({ orgId: w.orgId, endpointId: w.webhookEndpointId, description: 'edited' }),
  'webhook.rotateSecret': (w) => ({ orgId: w.orgId, endpointId: w.webhookEndpointId }),
  'webhook.delete': (w) => ({ orgId: w.orgId, endpointId: w.webhookEndpointId }),
  'webhook.deliveries': (w) => ({ orgId: w.orgId, endpointId: w.webhookEndpointId }),
  'webhook.redeliver': (w) => ({ orgId: w.orgId, deliveryId: w.webhookDeliveryId }),
  'webhook.sendTest': (w) => ({ orgId: w.orgId, endpointId: w.webhookEndpointId }),
  'notification.list': (w) => ({ orgId: w.orgId }),
  'notification.markRead': (w) => ({ orgId: w.orgId, id: w.notificationEventId }),
  'notification.markAllRead': (w) => ({ orgId: w.orgId }),
};

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

let app: TestApp;
let users: Users;

beforeAll(async () => {
  app = await createTestApp({ SIGN_IN_MAX_PER_EMAIL: '1000', SIGN_IN_MAX_PER_IP: '100000' });
  const [owner, coOwner, admin, spaceAdmin, developer, viewer, noSpaceRole, target, outsider] =
    await Promise.all(
      ['owner', 'coowner', 'admin', 'spaceadmin', 'developer', 'viewer', 'norole', 'target', 'outsider'].map(
        (tag) => signUpUser(app, tag, `${tag} user`),
      ),
    );
  if (
    !owner ||
    !coOwner ||
    !admin ||
    !spaceAdmin ||
    !developer ||
    !viewer ||
    !noSpaceRole ||
    !target ||
    !outsider
  ) {
    throw new Error('fixture users missing');
  }
  users = { owner, coOwner, admin, spaceAdmin, developer, viewer, noSpaceRole, target, outsider };
});
afterAll(() => app.shutdown());

/** Builds organizations A, B and C afresh, so destructive cases cannot affect others. */
async function buildWorld(actor: TActor): Promise<World> {
  const u = users;
  const orgA = await createOrg(app, 'Org A', [
    { userId: u.owner.id, role: 'owner' },
    // A second owner, so that the owner may leave: only authorization may refuse.
    { userId: u.coOwner.id, role: 'owner' },
    { userId: u.admin.id, role: 'admin' },
    { userId: u.spaceAdmin.id, role: 'member' },
    { userId: u.developer.id, role: 'member' },
    { userId: u.viewer.id, role: 'member' },
    { userId: u.noSpaceRole.id, role: 'member' },
    { userId: u.target.id, role: 'member' },
  ]);
  const orgB = await createOrg(app, 'Org B', [
    { userId: u.outsider.id, role: 'owner' },
    { userId: u.coOwner.id, role: 'owner' },
  ]);
  const spaceId = await createSpace(app, orgA.id, 'Space S', [
    { userId: u.spaceAdmin.id, role: 'admin' },
    { userId: u.developer.id, role: 'developer' },
    { userId: u.viewer.id, role: 'viewer' },
    { userId: u.target.id, role: 'viewer' },
  ]);
  await createSpace(app, orgB.id, 'Space of B');
  // A plan with API keys, and key K owned by the owner of A.
  await app.db.orm.em
    .fork()
    .nativeUpdate(Organization, { id: { $in: [orgA.id, orgB.id] } }, { plan: 'team' });
  const ownerPrincipal: Principal = {
    kind: 'user',
    userId: u.owner.id,
    label: u.owner.email,
    ip: null,
    actor: { userId: u.owner.id, orgRole: 'owner', spaceRoles: new Map() },
  };
  const key = await createKey(
    {
      em: app.db.orm.em.fork(),
      organizationId: orgA.id,
      principal: ownerPrincipal,
      now: new Date(),
    },
    ZCreateKeySchema.parse({ spaceId, name: 'Key K' }),
  );
  const invitation = await createPendingInvitation(
    app,
    orgA.id,
    uniqueEmail('pending'),
    'member',
    u.owner.id,
  );
  await createPendingInvitation(app, orgB.id, uniqueEmail('pending-b'), 'member', u.outsider.id);
  const actorUser = actor === 'anonymous' ? null : actorUserOf(actor);
  const orgC = await createOrg(app, 'Org C', [{ userId: u.coOwner.id, role: 'owner' }]);
  const accept = await createPendingInvitation(
    app,
    orgC.id,
    (actorUser ?? u.target).email,
    'member',
    u.coOwner.id,
  );
  const webhook = await createWebhookFixture(orgA.id, u.owner);
  const blockedIp = await blockIpFor(orgA.id);
  const inB = actor === 'foreignIds';
  return {
    orgId: inB ? orgB.id : orgA.id,
    orgSlug: inB ? orgB.slug : orgA.slug,
    spaceId,
    keyId: key.record.id,
    keyToken: key.key,
    invitationId: invitation.id,
    invitationToken: invitation.token,
    acceptToken: accept.token,
    blockedIp,
    webhookEndpointId: webhook.endpointId,
    webhookDeliveryId: webhook.deliveryId,
    notificationEventId: webhook.eventId,
    users: u,
    actorUser,
  };
}

/**
 * Endpoint E of A (subscribed to `key.expiring` only, at an address that never resolves, so
 * the worker sends nothing anywhere) and a failed delivery D of one event to it.
 */
async function createWebhookFixture(
  orgId: string,
  owner: TestUser,
): Promise<{ endpointId: string; deliveryId: string; eventId: string }> {
  const em = app.db.orm.em.fork();
  const { endpoint } = await createEndpoint(
    {
      em,
      organizationId: orgId,
      principal: {
        kind: 'user',
        userId: owner.id,
        label: owner.email,
        ip: null,
        actor: { userId: owner.id, orgRole: 'owner', spaceRoles: new Map() },
      },
      now: new Date(),
    },
    { url: 'https://hooks.example.invalid/keysmith', events: ['key.expiring'] },
    { secrets: app.services.secretBox, policy: { allowHttp: false, allowPrivate: false } },
  );
  const event = await emitEvent(em, orgId, 'key.expiring', { key_id: 'key_matrix', space_id: null });
  await em.flush();
  const delivery = await em.findOneOrFail(WebhookDelivery, { event: event.id });
  await em.nativeUpdate(WebhookDelivery, { id: delivery.id }, { status: 'failed', attempts: 9 });
  return { endpointId: endpoint.id, deliveryId: delivery.id, eventId: event.id };
}

let blockedIps = 0;

/** Blocks a fresh IP in the counters (as failed attempts would) and records the block for `orgId`. */
async function blockIpFor(orgId: string): Promise<string> {
  blockedIps += 1;
  const ip = `2001:db8::${blockedIps.toString(16)}`;
  const { counters } = app.services.verification;
  let until: number | null = null;
  for (let i = 0; i < app.services.env.IP_BLOCK_MAX_FAILURES; i++) {
    until = (await counters.recordAuthFailure(ip, Date.now())) ?? until;
  }
  if (until === null) throw new Error('the failures did not block the IP');
  const em = app.db.orm.em.fork();
  em.create(SecurityEvent, {
    id: newId('sec'),
    organizationId: orgId,
    kind: 'ip_blocked',
    ip,
    keyId: null,
    details: { until: new Date(until).toISOString(), failures: app.services.env.IP_BLOCK_MAX_FAILURES },
  });
  await em.flush();
  return ip;
}

function actorUserOf(actor: Exclude<TActor, 'anonymous'>): TestUser {
  return actor === 'foreignIds' ? users.outsider : users[actor];
}

async function callPath(caller: object, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  if (typeof target !== 'function') throw new Error(`no procedure at ${path}`);
  return (target as (input: unknown) => Promise<unknown>)(input);
}

async function outcomeOf(path: string, actor: TActor): Promise<TOutcome | string> {
  const input = INPUTS[path];
  if (!input) throw new Error(`no input builder for ${path}`);
  const world = await buildWorld(actor);
  const cookie = world.actorUser ? await sessionCookie(app, world.actorUser.id) : null;
  const caller = await app.caller(cookie);
  try {
    await callPath(caller, path, input(world));
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) {
      // Any other code means the input was not valid: the case would prove nothing.
      return ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'].includes(error.code)
        ? (error.code as TOutcome)
        : `${error.code}: ${error.message}`;
    }
    throw error;
  }
}

describe(`authorization matrix on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('has a row for every procedure of the app router', () => {
    const missing = procedurePaths.filter((p) => !(p in EXPECTED));
    expect(
      missing,
      `procedures missing from the authorization matrix (add rows to EXPECTED and INPUTS): ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('has no rows for procedures that no longer exist', () => {
    const stale = Object.keys(EXPECTED).filter((p) => !procedurePaths.includes(p));
    expect(stale, `stale rows: ${stale.join(', ')}`).toEqual([]);
    expect(Object.keys(INPUTS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const path of procedurePaths) {
    const expected = EXPECTED[path];
    // A path without a row is reported by the first test, which lists all of them.
    if (!expected) continue;
    describe(path, () => {
      for (const actor of ACTORS) {
        it(`${actor} → ${expected[actor]}`, async () => {
          expect(await outcomeOf(path, actor)).toBe(expected[actor]);
        });
      }
    });
  }
});
