import { parseApiKey } from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { sha256Hex as hashSecret } from '../src/digest.js';
import { loadEnv } from '../src/env.js';
import { ApiKey } from '../src/modules/api-key/api-key.entity.js';
import { KEYS_NOT_IN_PLAN } from '../src/modules/api-key/key-access.js';
import { renewExpiringKeys, revokeEndedGracePeriods } from '../src/modules/api-key/key-maintenance.js';
import { AuditEvent } from '../src/modules/audit/audit.entity.js';
import { RequestLog } from '../src/modules/request-log/request-log.entity.js';
import { createTestApp, LogCapture, type TestApp } from './harness.js';
import { addMember, addSpace, createOrgFixture } from './key-fixtures.js';

let app: TestApp;
beforeAll(async () => {
  // Maintenance runs only when a test calls it, so its effects are attributable.
  app = await createTestApp({ KEY_MAINTENANCE_PERIOD_MS: '60000' });
});
afterAll(() => app.shutdown());

const DAY = 86_400_000;

async function ownerCaller() {
  const fx = await createOrgFixture(app);
  return { fx, c: await app.caller(fx.owner.cookie) };
}

describe(`API keys on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('creates a key: the full key once, only its hash stored', async () => {
    const { fx, c } = await ownerCaller();
    const created = await c.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: 'Checkout backend',
      scopes: ['payments:read'],
      environment: 'live',
      quotas: { daily: 100 },
    });
    const parsed = parseApiKey(created.key);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.key.keyId).toBe(created.record.id);
    expect(created.record.preview).toMatch(/^sk_live_\w{4}\.\.\.\w{4}$/);
    expect(created.record).toMatchObject({
      status: 'active',
      scopes: ['payments:read'],
      quotas: { daily: 100 },
    });
    const row = await app.db.orm.em
      .fork()
      .findOneOrFail(ApiKey, { id: created.record.id }, { populate: ['secretHash'] });
    expect(row.secretHash).toBe(hashSecret(parsed.key.secret));
    const again = await c.key.byId({ orgId: fx.orgId, keyId: created.record.id });
    expect(JSON.stringify(again)).not.toContain(parsed.key.secret);
  });

  it('never lets the full key reach another response, a log line or any table', async () => {
    const logs = new LogCapture();
    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'trace', KEY_MAINTENANCE_PERIOD_MS: '60000' });
    const loud = await createApp(env, { orm: app.db.orm, logDestination: logs });
    await loud.server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const fx = await createOrgFixture(app);
      const address = loud.server.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const post = (path: string, body: unknown) =>
        fetch(`http://127.0.0.1:${port}/trpc/${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: 'http://localhost:3000',
            cookie: fx.owner.cookie,
          },
          body: JSON.stringify(body),
        });
      const res = await post('key.create', { orgId: fx.orgId, spaceId: fx.spaceId, name: 'Leak check' });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const created = ((await res.json()) as { result: { data: { key: string; record: { id: string } } } })
        .result.data;
      const parsed = parseApiKey(created.key);
      if (!parsed.ok) throw new Error('not a key');
      const rolled = (
        (await (
          await post('key.roll', { orgId: fx.orgId, keyId: created.record.id, gracePeriodSeconds: 60 })
        ).json()) as {
          result: { data: { key: string } };
        }
      ).result.data;
      const other = await Promise.all([
        fetch(
          `http://127.0.0.1:${port}/trpc/key.list?input=${encodeURIComponent(JSON.stringify({ orgId: fx.orgId }))}`,
          {
            headers: { cookie: fx.owner.cookie },
          },
        ).then((r) => r.text()),
        fetch(
          `http://127.0.0.1:${port}/trpc/key.byId?input=${encodeURIComponent(JSON.stringify({ orgId: fx.orgId, keyId: created.record.id }))}`,
          { headers: { cookie: fx.owner.cookie } },
        ).then((r) => r.text()),
      ]);
      const secrets = [
        created.key,
        parsed.key.secret,
        rolled.key,
        rolled.key.split('.')[1]?.slice(0, 32) ?? 'x',
      ];
      for (const text of other) for (const secret of secrets) expect(text).not.toContain(secret);
      expect(logs.lines.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(logs.text()).not.toContain(secret);
      const tables: { tablename: string }[] = await app.db.orm.em
        .fork()
        .getConnection()
        .execute(`select tablename from pg_tables where schemaname = 'public'`);
      expect(tables.map((t) => t.tablename)).toContain('api_keys');
      for (const { tablename } of tables) {
        const dump: { row: string }[] = await app.db.orm.em
          .fork()
          .getConnection()
          .execute(`select t::text as row from "${tablename}" t`);
        const text = dump.map((r) => r.row).join('\n');
        for (const secret of secrets) expect(text, `table ${tablename}`).not.toContain(secret);
      }
    } finally {
      await loud.close();
    }
  });

  it('refuses a duplicate name in the organization, case-insensitively, naming the field', async () => {
    const { fx, c } = await ownerCaller();
    await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Mobile app' });
    const other = await addSpace(app, fx.orgId, 'Other');
    await expect(c.key.create({ orgId: fx.orgId, spaceId: other, name: 'MOBILE APP' })).rejects.toMatchObject(
      {
        code: 'CONFLICT',
        cause: { fields: { name: expect.stringContaining('already exists') } },
      },
    );
  });

  it('refuses scopes outside the space catalog and rate limits above the plan', async () => {
    const { fx, c } = await ownerCaller();
    await expect(
      c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'k1', scopes: ['billing:read'] }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: { fields: { scopes: expect.stringContaining('billing:read') } },
    });
    await expect(
      c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'k2', rateLimit: { perSecond: 51 } }),
    ).rejects.toMatchObject({ cause: { fields: { 'rateLimit.perSecond': 'At most 50 on the team plan' } } });
    const ok = await c.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: 'k3',
      scopes: ['refunds:*', 'keys:verify'],
    });
    expect(ok.record.scopes).toEqual(['keys:verify', 'refunds:*']);
    await expect(
      c.key.create({
        orgId: fx.orgId,
        spaceId: fx.spaceId,
        name: 'k4',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      }),
    ).rejects.toMatchObject({ cause: { fields: { expiresAt: 'Expiry must be in the future' } } });
  });

  it('accepts any future expiry, even a century away', async () => {
    const { fx, c } = await ownerCaller();
    const expiresAt = '2125-01-01T00:00:00.000Z';
    const created = await c.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: 'Long-lived',
      expiresAt,
    });
    expect(created.record.expiresAt).toBe(expiresAt);
  });

  it('gates keys by plan: the free plan refuses with the upgrade message', async () => {
    const fx = await createOrgFixture(app, { plan: 'free' });
    const c = await app.caller(fx.owner.cookie);
    await expect(c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'nope' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: KEYS_NOT_IN_PLAN,
    });
    await expect(
      c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'x', autoRenew: true }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('lists with search, filters, sort and pagination with total', async () => {
    const { fx, c } = await ownerCaller();
    const other = await addSpace(app, fx.orgId, 'Search API');
    const names = ['Alpha server', 'alpha worker', 'Beta server', 'Gamma 100%', 'Delta_test'];
    for (const [i, name] of names.entries()) {
      await c.key.create({
        orgId: fx.orgId,
        spaceId: i % 2 ? other : fx.spaceId,
        name,
        environment: i === 4 ? 'test' : 'live',
        category: i === 2 ? 'staging' : 'production',
      });
    }
    const page = (input: Record<string, unknown>) => c.key.list({ orgId: fx.orgId, ...input });
    expect((await page({ search: 'ALPHA' })).data.map((k) => k.name).sort()).toEqual([
      'Alpha server',
      'alpha worker',
    ]);
    expect((await page({ search: '100%' })).data.map((k) => k.name)).toEqual(['Gamma 100%']);
    expect((await page({ search: '%' })).total).toBe(1); // % is literal, not a wildcard
    expect((await page({ search: 'a_t' })).total).toBe(1); // so is _
    expect((await page({ environment: 'test' })).data.map((k) => k.name)).toEqual(['Delta_test']);
    expect((await page({ category: 'staging' })).data.map((k) => k.name)).toEqual(['Beta server']);
    expect((await page({ spaceId: other })).total).toBe(2);
    const first = await page({ perPage: 2, page: 1 });
    const third = await page({ perPage: 2, page: 3 });
    expect(first.total).toBe(5);
    expect(first.data.map((k) => k.name)).toEqual(['Delta_test', 'Gamma 100%']); // newest first
    expect(third.data.map((k) => k.name)).toEqual(['Alpha server']);
    const em = app.db.orm.em.fork();
    const beta =
      first.total &&
      (await em.findOneOrFail(ApiKey, { organization: fx.orgId, nameNormalized: 'beta server' }));
    if (beta) {
      beta.lastUsedAt = new Date();
      await em.flush();
    }
    expect((await page({ sort: 'lastUsed' })).data[0]?.name).toBe('Beta server');
  });

  it('filters by status: active, inactive, expired, revoked', async () => {
    const { fx, c } = await ownerCaller();
    const mk = (name: string) =>
      c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name }).then((k) => k.record.id);
    const [, inactive, expired, revoked] = await Promise.all(['a', 'i', 'e', 'r'].map(mk));
    await c.key.deactivate({ orgId: fx.orgId, keyId: inactive ?? '' });
    await c.key.revoke({ orgId: fx.orgId, keyId: revoked ?? '' });
    await app.db.orm.em
      .fork()
      .nativeUpdate(ApiKey, { id: expired ?? '' }, { expiresAt: new Date(Date.now() - 1000) });
    for (const [status, name] of [
      ['active', 'a'],
      ['inactive', 'i'],
      ['expired', 'e'],
      ['revoked', 'r'],
    ] as const) {
      const list = await c.key.list({ orgId: fx.orgId, status });
      expect(
        list.data.map((k) => k.name),
        status,
      ).toEqual([name]);
      expect(list.data[0]?.status).toBe(status);
    }
  });

  it('filters keys expiring within N days, and lists the categories in use', async () => {
    const { fx, c } = await ownerCaller();
    const other = await addSpace(app, fx.orgId, 'Partners');
    const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
    const mk = (name: string, extra: Record<string, unknown>) =>
      c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name, ...extra }).then((k) => k.record.id);
    await mk('soon', { expiresAt: inDays(10), category: 'partner-integrations' });
    await mk('edge', { expiresAt: inDays(29.9) });
    await mk('later', { expiresAt: inDays(45), category: 'staging' });
    await mk('never', {});
    const revoked = await mk('revoked soon', { expiresAt: inDays(5) });
    await c.key.revoke({ orgId: fx.orgId, keyId: revoked });
    await c.key.create({ orgId: fx.orgId, spaceId: other, name: 'hidden', category: 'secret-project' });

    const expiring = await c.key.list({ orgId: fx.orgId, expiresWithinDays: 30 });
    expect(expiring.data.map((k) => k.name).sort()).toEqual(['edge', 'soon']);
    await expect(c.key.list({ orgId: fx.orgId, expiresWithinDays: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });

    expect((await c.key.categories({ orgId: fx.orgId })).categories).toEqual([
      'partner-integrations',
      'production',
      'secret-project',
      'staging',
    ]);
    // A member with a role in the first space only sees that space's categories.
    const dev = await addMember(app, fx.orgId, 'member', { spaceId: fx.spaceId, role: 'viewer' });
    const devCaller = await app.caller(dev.cookie);
    expect((await devCaller.key.categories({ orgId: fx.orgId })).categories).not.toContain('secret-project');
  });

  it('updates §2.2 fields and audits before/after', async () => {
    const { fx, c } = await ownerCaller();
    const { record } = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Before' });
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const updated = await c.key.update({
      orgId: fx.orgId,
      keyId: record.id,
      patch: {
        name: 'After',
        description: 'Used by the nightly job',
        category: 'batch-jobs',
        scopes: ['payments:write'],
        expiresAt,
        quotas: { monthly: 5000 },
        rateLimit: { perSecond: 5, perMinute: 100 },
        ipAllowlist: ['10.0.0.0/8', '2001:db8::1'],
      },
    });
    expect(updated).toMatchObject({
      name: 'After',
      category: 'batch-jobs',
      scopes: ['payments:write'],
      expiresAt,
      quotas: { monthly: 5000, daily: null },
      rateLimit: { perSecond: 5, perMinute: 100 },
      ipAllowlist: ['10.0.0.0/8', '2001:db8::1'],
    });
    const audit = await app.db.orm.em
      .fork()
      .findOneOrFail(AuditEvent, { targetId: record.id, action: 'key.update' });
    expect(audit.before).toMatchObject({ name: 'Before', category: 'production' });
    expect(audit.after).toMatchObject({ name: 'After', category: 'batch-jobs' });
    expect(audit.actorId).toBe(fx.owner.id);
    await expect(
      c.key.update({ orgId: fx.orgId, keyId: record.id, patch: { ipAllowlist: ['not-an-ip'] } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('deactivates, reactivates and revokes for good', async () => {
    const { fx, c } = await ownerCaller();
    const { record } = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Lifecycle' });
    const seen: string[] = [];
    const unsubscribe = app.services.keyChanges.subscribe((_org, keyId) => seen.push(keyId));
    expect((await c.key.deactivate({ orgId: fx.orgId, keyId: record.id })).status).toBe('inactive');
    expect((await c.key.reactivate({ orgId: fx.orgId, keyId: record.id })).status).toBe('active');
    const revoked = await c.key.revoke({ orgId: fx.orgId, keyId: record.id });
    unsubscribe();
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedAt).not.toBeNull();
    expect(seen).toEqual([record.id, record.id, record.id]);
    await expect(c.key.reactivate({ orgId: fx.orgId, keyId: record.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await expect(c.key.revoke({ orgId: fx.orgId, keyId: record.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    const actions = (
      await app.db.orm.em.fork().find(AuditEvent, { targetId: record.id }, { orderBy: { createdAt: 'asc' } })
    ).map((a) => a.action);
    expect(actions).toEqual(['key.create', 'key.deactivate', 'key.reactivate', 'key.revoke']);
  });

  it('deletes only never-used keys', async () => {
    const { fx, c } = await ownerCaller();
    const unused = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Unused' });
    expect(await c.key.delete({ orgId: fx.orgId, keyId: unused.record.id })).toEqual({
      id: unused.record.id,
    });
    await expect(c.key.byId({ orgId: fx.orgId, keyId: unused.record.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const used = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Used once' });
    const em = app.db.orm.em.fork();
    em.create(RequestLog, {
      organizationId: fx.orgId,
      spaceId: fx.spaceId,
      keyId: used.record.id,
      time: new Date(),
      method: 'GET',
      endpoint: '/v1/rate-limit',
      status: 401,
      durationMs: 0.2,
      ip: '127.0.0.1',
      credits: 0,
      code: 'INACTIVE',
    });
    await em.flush();
    expect((await c.key.byId({ orgId: fx.orgId, keyId: used.record.id })).used).toBe(true);
    await expect(c.key.delete({ orgId: fx.orgId, keyId: used.record.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Deactivate or revoke it instead'),
    });
  });

  it('rolls: same settings, new key once, old key revoked when the grace ends', async () => {
    const { fx, c } = await ownerCaller();
    const original = await c.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: 'Rolling',
      category: 'staging',
      environment: 'test',
      scopes: ['payments:read'],
      quotas: { daily: 10, total: 1000 },
      rateLimit: { perSecond: 3 },
      ipAllowlist: ['192.0.2.0/24'],
    });
    const rolled = await c.key.roll({ orgId: fx.orgId, keyId: original.record.id, gracePeriodSeconds: 3600 });
    expect(rolled.key).not.toBe(original.key);
    expect(rolled.record).toMatchObject({
      name: 'Rolling',
      category: 'staging',
      environment: 'test',
      scopes: ['payments:read'],
      quotas: { daily: 10, total: 1000 },
      rateLimit: { perSecond: 3 },
      ipAllowlist: ['192.0.2.0/24'],
      rolledFromId: original.record.id,
      status: 'active',
    });
    const old = await c.key.byId({ orgId: fx.orgId, keyId: original.record.id });
    expect(old.status).toBe('active');
    expect(old.rolledToId).toBe(rolled.record.id);
    expect(Date.parse(old.graceEndsAt ?? '') - Date.now()).toBeGreaterThan(3500_000);
    await expect(
      c.key.roll({ orgId: fx.orgId, keyId: original.record.id, gracePeriodSeconds: 0 }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await expect(
      c.key.roll({ orgId: fx.orgId, keyId: rolled.record.id, gracePeriodSeconds: 7 * 86_400 + 1 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const immediate = await c.key.roll({ orgId: fx.orgId, keyId: rolled.record.id, gracePeriodSeconds: 0 });
    expect((await c.key.byId({ orgId: fx.orgId, keyId: rolled.record.id })).status).toBe('revoked');
    expect(immediate.record.status).toBe('active');
  });

  it('keeps the name when rolling: no id appended, still unique among keys not rolled', async () => {
    const { fx, c } = await ownerCaller();
    const first = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Ledger sync' });
    const second = await c.key.roll({ orgId: fx.orgId, keyId: first.record.id, gracePeriodSeconds: 3600 });
    const third = await c.key.roll({ orgId: fx.orgId, keyId: second.record.id, gracePeriodSeconds: 3600 });
    for (const id of [first.record.id, second.record.id, third.record.id]) {
      expect((await c.key.byId({ orgId: fx.orgId, keyId: id })).name).toBe('Ledger sync');
    }
    const listed = await c.key.list({ orgId: fx.orgId, search: 'ledger' });
    expect(listed.data.map((k) => k.name)).toEqual(['Ledger sync', 'Ledger sync', 'Ledger sync']);
    // A rolled key may be edited without its name clashing with its replacement's ...
    await expect(
      c.key.update({ orgId: fx.orgId, keyId: first.record.id, patch: { description: 'Old one' } }),
    ).resolves.toMatchObject({ name: 'Ledger sync', description: 'Old one' });
    // ... but the name is still taken by the key in use, case-insensitively.
    await expect(
      c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'LEDGER SYNC' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('names the key that created a key as its owner', async () => {
    const { fx, c } = await ownerCaller();
    const bot = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Deploy bot' });
    const made = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Made by the bot' });
    // As `/v1/api-keys` records a key-created key: no owner user, the creating key's id.
    await app.db.orm.em
      .fork()
      .nativeUpdate(ApiKey, { id: made.record.id }, { ownerUser: null, ownerKeyId: bot.record.id });
    const fresh = await app.caller(fx.owner.cookie);
    expect(await fresh.key.byId({ orgId: fx.orgId, keyId: made.record.id })).toMatchObject({
      owner: null,
      ownerKeyId: bot.record.id,
      ownerKeyName: 'Deploy bot',
    });
    const listed = await fresh.key.list({ orgId: fx.orgId, search: 'made by' });
    expect(listed.data[0]?.ownerKeyName).toBe('Deploy bot');
    expect((await fresh.key.byId({ orgId: fx.orgId, keyId: bot.record.id })).ownerKeyName).toBeNull();
  });

  it('revokes a rolled key when its grace ends, also after a restart, exactly once', async () => {
    const { fx, c } = await ownerCaller();
    const { record } = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Grace' });
    await c.key.roll({ orgId: fx.orgId, keyId: record.id, gracePeriodSeconds: 1 });
    // The process goes down before the grace ends ...
    const em = app.db.orm.em.fork();
    await em.nativeUpdate(ApiKey, { id: record.id }, { graceEndsAt: new Date(Date.now() - 10) });
    expect((await em.fork().findOneOrFail(ApiKey, { id: record.id })).revokedAt).toBeNull();
    // ... and a new one, starting on the same database, revokes it at start.
    const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', KEY_MAINTENANCE_PERIOD_MS: '60000' });
    const restarted = await createApp(env, { orm: app.db.orm });
    const deadline = Date.now() + 5000;
    let row = await em.fork().findOneOrFail(ApiKey, { id: record.id });
    while (!row.revokedAt && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      row = await em.fork().findOneOrFail(ApiKey, { id: record.id });
    }
    await restarted.close();
    expect(row.revokedAt).not.toBeNull();
    expect(await revokeEndedGracePeriods(em.fork(), app.services.keyChanges)).toBe(0);
    const audits = await em.fork().find(AuditEvent, { targetId: record.id, action: 'key.revoke' });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.actorType).toBe('system');
  });

  it('auto-renews enterprise keys 7 days before expiry by their original lifetime', async () => {
    const fx = await createOrgFixture(app, { plan: 'enterprise' });
    const c = await app.caller(fx.owner.cookie);
    const expiresAt = new Date(Date.now() + 90 * DAY);
    const { record } = await c.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: 'Renewing',
      expiresAt: expiresAt.toISOString(),
      autoRenew: true,
    });
    const em = app.db.orm.em.fork();
    expect(await renewExpiringKeys(em, app.services.keyChanges)).toBe(0);
    const later = new Date(expiresAt.getTime() - 6 * DAY);
    expect(await renewExpiringKeys(em, app.services.keyChanges, later)).toBe(1);
    expect(await renewExpiringKeys(em, app.services.keyChanges, later)).toBe(0);
    const row = await em.fork().findOneOrFail(ApiKey, { id: record.id });
    expect(Math.abs((row.expiresAt?.getTime() ?? 0) - (expiresAt.getTime() + 90 * DAY))).toBeLessThan(2000);
  });

  it('lets developers manage only their own keys; viewers only read', async () => {
    const fx = await createOrgFixture(app);
    const owner = await app.caller(fx.owner.cookie);
    const dev = await addMember(app, fx.orgId, 'member', { spaceId: fx.spaceId, role: 'developer' });
    const viewer = await addMember(app, fx.orgId, 'member', { spaceId: fx.spaceId, role: 'viewer' });
    const outsider = await addMember(app, fx.orgId, 'member');
    const devC = await app.caller(dev.cookie);
    const viewerC = await app.caller(viewer.cookie);
    const outsiderC = await app.caller(outsider.cookie);
    const ownersKey = await owner.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Owner key' });
    const devKey = await devC.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Dev key' });
    expect(devKey.record.owner?.id).toBe(dev.id);
    await expect(devC.key.revoke({ orgId: fx.orgId, keyId: ownersKey.record.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await devC.key.deactivate({ orgId: fx.orgId, keyId: devKey.record.id })).status).toBe('inactive');
    expect((await devC.key.list({ orgId: fx.orgId })).total).toBe(2);
    expect((await viewerC.key.list({ orgId: fx.orgId })).total).toBe(2);
    await expect(
      viewerC.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'v' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(viewerC.key.revoke({ orgId: fx.orgId, keyId: devKey.record.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await outsiderC.key.list({ orgId: fx.orgId })).total).toBe(0);
    await expect(outsiderC.key.byId({ orgId: fx.orgId, keyId: devKey.record.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Another organization cannot learn the key exists.
    const foreign = await createOrgFixture(app);
    const foreignC = await app.caller(foreign.owner.cookie);
    await expect(foreignC.key.byId({ orgId: foreign.orgId, keyId: devKey.record.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(foreignC.key.list({ orgId: fx.orgId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
