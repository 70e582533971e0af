/**
 * Key policies (§10, issue 13): each rule refuses create, update and roll with the field named,
 * over tRPC and over REST alike; a space may only tighten; tightening never breaks existing
 * keys (they keep working, show as out of policy, and edits that leave the field alone pass);
 * the preview says what saving will do and when, and saves nothing.
 */
import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import type { TKeyPolicy } from '../src/modules/key-policy/key-policy.schemas.js';
import { createTestApp, type TestApp } from './harness.js';
import { addMember, addSpace, createOrgFixture, type OrgFixture } from './key-fixtures.js';

const DAY = 86_400_000;
const NONE: TKeyPolicy = {
  maxLifetimeDays: null,
  requireExpiry: false,
  idleDeactivateDays: null,
  rotationReminderDays: null,
  requireIpAllowlistForLive: false,
};

let app: TestApp;
let base: string;
let fx: OrgFixture;
let rootKey: string;
let ipCounter = 0;

type Caller = Awaited<ReturnType<TestApp['caller']>>;
let owner: Caller;

beforeAll(async () => {
  app = await createTestApp({ TRUST_PROXY_HOPS: '1', KEY_MAINTENANCE_PERIOD_MS: '60000' });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  fx = await createOrgFixture(app, { plan: 'enterprise', scopes: ['payments:read', 'admin:*'] });
  owner = await app.caller(fx.owner.cookie);
  rootKey = (
    await owner.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'root', scopes: ['admin:*'] })
  ).key;
});
afterAll(() => app.shutdown());

let names = 0;
function name(tag: string): string {
  names += 1;
  return `${tag}-${names}`;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString();
}

async function setOrgPolicy(policy: Partial<TKeyPolicy>, leakResponse: 'revoke' | 'notify' = 'revoke') {
  return owner.keyPolicy.updateOrganization({
    orgId: fx.orgId,
    policy: { ...NONE, ...policy },
    leakResponse,
  });
}

/** The tRPC refusal of `promise`: its code and per-field messages. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; fields: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause as { fields?: Record<string, string> } | undefined;
    return { code: error.code, fields: cause?.fields ?? {} };
  }
  throw new Error('expected a refusal');
}

async function rest(method: string, path: string, body?: unknown) {
  ipCounter += 1;
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${rootKey}`,
      'x-forwarded-for': `198.51.100.${ipCounter % 250}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { fields?: Record<string, string> },
  };
}

async function legacyKey(input: Record<string, unknown> = {}) {
  return (await owner.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: name('legacy'), ...input }))
    .record;
}

interface RuleCase {
  rule: string;
  policy: Partial<TKeyPolicy>;
  /** Breaks the rule on create (tRPC input; REST input is its snake_case twin). */
  bad: Record<string, unknown>;
  badRest: Record<string, unknown>;
  good: Record<string, unknown>;
  /** An edit that brings a compliant key out of policy. */
  badPatch: Record<string, unknown>;
  badPatchRest: Record<string, unknown>;
  field: string;
  restField: string;
  /** A key made before the rule, which the rule refuses to roll. */
  legacy: Record<string, unknown>;
}

const CASES: RuleCase[] = [
  {
    rule: 'max_lifetime_days',
    policy: { maxLifetimeDays: 30 },
    bad: { expiresAt: inDays(31) },
    badRest: { expires_at: inDays(31) },
    good: { expiresAt: inDays(29) },
    badPatch: { expiresAt: null },
    badPatchRest: { expires_at: inDays(60) },
    field: 'expiresAt',
    restField: 'expires_at',
    legacy: { expiresAt: inDays(90) },
  },
  {
    rule: 'require_expiry',
    policy: { requireExpiry: true },
    bad: {},
    badRest: {},
    good: { expiresAt: inDays(4000) },
    badPatch: { expiresAt: null },
    badPatchRest: { expires_at: null },
    field: 'expiresAt',
    restField: 'expires_at',
    legacy: {},
  },
  {
    rule: 'require_ip_allowlist_for_live',
    policy: { requireIpAllowlistForLive: true },
    bad: { environment: 'live' },
    badRest: { environment: 'live', ip_allowlist: [] },
    good: { environment: 'live', ipAllowlist: ['203.0.113.0/24'] },
    badPatch: { ipAllowlist: [] },
    badPatchRest: { ip_allowlist: [] },
    field: 'ipAllowlist',
    restField: 'ip_allowlist',
    legacy: { environment: 'live' },
  },
];

describe('policy refusals, over tRPC and REST', () => {
  it.each(CASES)('$rule refuses create, update and roll, naming the field', async (c) => {
    const legacy = await legacyKey(c.legacy);
    await setOrgPolicy(c.policy);
    try {
      // Create.
      const trpcCreate = await refusal(
        owner.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: name('bad'), ...c.bad }),
      );
      expect(trpcCreate.code).toBe('BAD_REQUEST');
      expect(Object.keys(trpcCreate.fields)).toEqual([c.field]);
      const restCreate = await rest('POST', '/api-keys', { name: name('bad'), ...c.badRest });
      expect(restCreate.status).toBe(400);
      expect(restCreate.body.code).toBe('VALIDATION');
      expect(Object.keys(restCreate.body.fields ?? {})).toEqual([c.restField]);
      expect(restCreate.body.fields?.[c.restField]).toBe(trpcCreate.fields[c.field]);
      const good = await owner.key.create({
        orgId: fx.orgId,
        spaceId: fx.spaceId,
        name: name('good'),
        ...c.good,
      });
      expect(good.record.policy.violations).toEqual([]);

      // Update: over tRPC and REST; an edit that leaves the field alone passes.
      const trpcUpdate = await refusal(
        owner.key.update({ orgId: fx.orgId, keyId: good.record.id, patch: c.badPatch }),
      );
      expect(trpcUpdate).toMatchObject({ code: 'BAD_REQUEST', fields: { [c.field]: expect.any(String) } });
      const restUpdate = await rest('PATCH', `/api-keys/${good.record.id}`, c.badPatchRest);
      expect(restUpdate.status).toBe(400);
      expect(restUpdate.body.fields?.[c.restField]).toEqual(expect.any(String));
      const renamed = await owner.key.update({
        orgId: fx.orgId,
        keyId: good.record.id,
        patch: { name: name('renamed') },
      });
      expect(renamed.policy.violations).toEqual([]);

      // The key made before the rule keeps working and shows what it breaks; edits leaving
      // the field alone pass; rolling it (a new key) is refused until it complies.
      const before = await owner.key.byId({ orgId: fx.orgId, keyId: legacy.id });
      expect(before.status).toBe('active');
      expect(before.policy.violations.map((v) => v.field)).toEqual([c.field]);
      await owner.key.update({ orgId: fx.orgId, keyId: legacy.id, patch: { description: 'still editable' } });
      const trpcRoll = await refusal(
        owner.key.roll({ orgId: fx.orgId, keyId: legacy.id, gracePeriodSeconds: 0 }),
      );
      expect(trpcRoll).toMatchObject({ code: 'BAD_REQUEST', fields: { [c.field]: expect.any(String) } });
      const restRoll = await rest('POST', `/api-keys/${legacy.id}/roll`, { grace_period_seconds: 0 });
      expect(restRoll.status).toBe(400);
      expect(restRoll.body.code).toBe('VALIDATION');
      expect(restRoll.body.fields?.[c.restField]).toEqual(expect.any(String));
      const still = await owner.key.byId({ orgId: fx.orgId, keyId: legacy.id });
      expect(still.status).toBe('active');
      expect(still.rolledToId).toBeNull();
      // A compliant key rolls.
      const rolled = await owner.key.roll({ orgId: fx.orgId, keyId: good.record.id, gracePeriodSeconds: 0 });
      expect(rolled.record.rolledFromId).toBe(good.record.id);
    } finally {
      await setOrgPolicy({});
    }
  });

  it('lets idle and rotation rules through create (the scheduler enforces them)', async () => {
    await setOrgPolicy({ idleDeactivateDays: 1, rotationReminderDays: 1 });
    try {
      const created = await rest('POST', '/api-keys', { name: name('scheduled') });
      expect(created.status).toBe(201);
    } finally {
      await setOrgPolicy({});
    }
  });
});

describe('organization and space policies', () => {
  it('lets a space only tighten, and applies the stricter rule to its keys only', async () => {
    const otherSpace = await addSpace(app, fx.orgId, 'Strict space', []);
    await setOrgPolicy({ maxLifetimeDays: 90 });
    try {
      const looser = await refusal(
        owner.keyPolicy.updateSpace({
          orgId: fx.orgId,
          spaceId: otherSpace,
          policy: { ...NONE, maxLifetimeDays: 120 },
        }),
      );
      expect(looser.code).toBe('BAD_REQUEST');
      expect(looser.fields).toEqual({
        'policy.maxLifetimeDays':
          'The organization sets the longest key lifetime to 90 days; a space may only tighten it',
      });
      const saved = await owner.keyPolicy.updateSpace({
        orgId: fx.orgId,
        spaceId: otherSpace,
        policy: { ...NONE, maxLifetimeDays: 30, requireIpAllowlistForLive: true },
      });
      expect(saved.effective).toEqual({ ...NONE, maxLifetimeDays: 30, requireIpAllowlistForLive: true });
      expect(saved.organization).toEqual({ ...NONE, maxLifetimeDays: 90 });

      const inStrict = await refusal(
        owner.key.create({
          orgId: fx.orgId,
          spaceId: otherSpace,
          name: name('strict'),
          environment: 'test',
          expiresAt: inDays(60),
        }),
      );
      expect(Object.keys(inStrict.fields)).toEqual(['expiresAt']);
      // The organization's own space still allows 60 days.
      await owner.key.create({
        orgId: fx.orgId,
        spaceId: fx.spaceId,
        name: name('ok'),
        expiresAt: inDays(60),
      });

      // The organization loosening does not loosen the space; tightening past it wins.
      await setOrgPolicy({});
      const after = await owner.keyPolicy.get({ orgId: fx.orgId, spaceId: otherSpace });
      expect(after.effective.maxLifetimeDays).toBe(30);
      await setOrgPolicy({ maxLifetimeDays: 10 });
      const tighter = await owner.keyPolicy.get({ orgId: fx.orgId, spaceId: otherSpace });
      expect(tighter.effective.maxLifetimeDays).toBe(10);
      expect(tighter.looser.map((l) => l.field)).toEqual(['maxLifetimeDays']);
    } finally {
      await setOrgPolicy({});
    }
  });

  it('audits every saved change with before and after, and refuses out-of-range values', async () => {
    await setOrgPolicy({ rotationReminderDays: 90 }, 'notify');
    const row = await app.db.orm.em
      .fork()
      .findOne(
        AuditEvent,
        { organizationId: fx.orgId, action: 'key_policy.update' },
        { orderBy: { createdAt: 'desc' } },
      );
    expect(row?.after).toEqual({ rotationReminderDays: 90, leakResponse: 'notify' });
    expect(row?.before).toEqual({ rotationReminderDays: null, leakResponse: 'revoke' });
    const bad = await refusal(
      owner.keyPolicy.updateOrganization({
        orgId: fx.orgId,
        policy: { ...NONE, idleDeactivateDays: 0 },
        leakResponse: 'revoke',
      }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    await setOrgPolicy({});
  });

  it('lets members read the policy and only owners, admins and space admins change it', async () => {
    const developer = await addMember(app, fx.orgId, 'member', { spaceId: fx.spaceId, role: 'developer' });
    const spaceAdmin = await addMember(app, fx.orgId, 'member', { spaceId: fx.spaceId, role: 'admin' });
    const dev = await app.caller(developer.cookie);
    const sAdmin = await app.caller(spaceAdmin.cookie);
    expect((await dev.keyPolicy.get({ orgId: fx.orgId, spaceId: fx.spaceId })).effective).toEqual(NONE);
    expect(
      (
        await refusal(
          dev.keyPolicy.updateOrganization({ orgId: fx.orgId, policy: NONE, leakResponse: 'revoke' }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (await refusal(dev.keyPolicy.updateSpace({ orgId: fx.orgId, spaceId: fx.spaceId, policy: NONE }))).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await refusal(
          sAdmin.keyPolicy.updateOrganization({ orgId: fx.orgId, policy: NONE, leakResponse: 'revoke' }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    const saved = await sAdmin.keyPolicy.updateSpace({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      policy: { ...NONE, requireExpiry: true },
    });
    expect(saved.effective.requireExpiry).toBe(true);
    await sAdmin.keyPolicy.updateSpace({ orgId: fx.orgId, spaceId: fx.spaceId, policy: NONE });
  });
});

describe('the preview before saving', () => {
  it('lists the keys affected and what happens to them and when, and saves nothing', async () => {
    const space = await addSpace(app, fx.orgId, 'Preview space', []);
    const make = async (tag: string, input: Record<string, unknown> = {}) =>
      (
        await owner.key.create({
          orgId: fx.orgId,
          spaceId: space,
          name: name(tag),
          environment: 'test',
          ...input,
        })
      ).record;
    const longIdle = await make('idle-40d', { expiresAt: inDays(10) });
    const shortIdle = await make('idle-20d', { expiresAt: inDays(10) });
    const noExpiry = await make('no-expiry');
    const em = app.db.orm.em.fork();
    const now = Date.now();
    await em.nativeUpdate(
      ApiKey,
      { id: longIdle.id },
      { createdAt: new Date(now - 100 * DAY), lastUsedAt: new Date(now - 40 * DAY) },
    );
    await em.nativeUpdate(ApiKey, { id: shortIdle.id }, { createdAt: new Date(now - 20 * DAY) });
    await em.nativeUpdate(ApiKey, { id: noExpiry.id }, { createdAt: new Date(now - DAY) });

    const preview = await owner.keyPolicy.preview({
      orgId: fx.orgId,
      spaceId: space,
      policy: { ...NONE, idleDeactivateDays: 30, requireExpiry: true },
    });
    expect(preview.keysChecked).toBe(3);
    expect(preview.counts).toEqual({
      deactivateNow: 1,
      deactivateLater: 2,
      remindNow: 0,
      remindLater: 0,
      violations: 1,
    });
    const byId = new Map(preview.keys.map((k) => [k.id, k.consequences]));
    expect(byId.get(longIdle.id)).toEqual([
      { kind: 'deactivate', at: expect.any(String), rule: null, field: null, message: null },
    ]);
    const nowAt = byId.get(longIdle.id)?.[0]?.at ?? '';
    expect(Date.parse(nowAt)).toBeLessThanOrEqual(Date.parse(preview.now));
    const later = byId.get(shortIdle.id)?.[0];
    expect(later?.kind).toBe('deactivate');
    expect(Math.abs(Date.parse(later?.at ?? '') - (now + 10 * DAY))).toBeLessThan(5_000);
    expect(
      byId
        .get(noExpiry.id)
        ?.map((c) => c.kind)
        .sort(),
    ).toEqual(['deactivate', 'violation']);
    // Soonest first.
    expect(preview.keys[0]?.id).toBe(longIdle.id);

    // Nothing was saved, and no key changed.
    expect((await owner.keyPolicy.get({ orgId: fx.orgId, spaceId: space })).effective).toEqual(NONE);
    expect((await owner.key.byId({ orgId: fx.orgId, keyId: longIdle.id })).status).toBe('active');

    // An organization-wide preview covers every space, with each space's own rules.
    const orgWide = await owner.keyPolicy.preview({
      orgId: fx.orgId,
      policy: { ...NONE, idleDeactivateDays: 30 },
    });
    expect(orgWide.keys.map((k) => k.id)).toContain(longIdle.id);
    expect(orgWide.keysChecked).toBeGreaterThan(preview.keysChecked);
  });

  it('keeps another organization and unknown spaces out', async () => {
    const other = await createOrgFixture(app, { plan: 'team' });
    expect(
      (await refusal(owner.keyPolicy.preview({ orgId: fx.orgId, spaceId: other.spaceId, policy: NONE })))
        .code,
    ).toBe('NOT_FOUND');
    expect((await refusal(owner.keyPolicy.get({ orgId: other.orgId }))).code).toBe('NOT_FOUND');
  });
});

describe('key status in lists and details', () => {
  it('shows due for rotation and when an idle key will be deactivated', async () => {
    const space = await addSpace(app, fx.orgId, 'Status space', []);
    const { record } = await owner.key.create({
      orgId: fx.orgId,
      spaceId: space,
      name: name('old'),
      environment: 'test',
    });
    await app.db.orm.em
      .fork()
      .nativeUpdate(ApiKey, { id: record.id }, { createdAt: new Date(Date.now() - 100 * DAY) });
    await owner.keyPolicy.updateSpace({
      orgId: fx.orgId,
      spaceId: space,
      policy: { ...NONE, rotationReminderDays: 90, idleDeactivateDays: 365 },
    });
    const page = await owner.key.list({ orgId: fx.orgId, spaceId: space });
    const listed = page.data.find((k) => k.id === record.id);
    expect(listed?.policy.dueForRotation).toBe(true);
    expect(Date.parse(listed?.policy.rotationDueAt ?? '')).toBeLessThan(Date.now());
    expect(Date.parse(listed?.policy.idleDeactivationAt ?? '')).toBeGreaterThan(Date.now() + 264 * DAY);
    const detail = await owner.key.byId({ orgId: fx.orgId, keyId: record.id });
    expect(detail.policy).toEqual(listed?.policy);
  });
});
