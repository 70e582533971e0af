import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAuditEvent } from '../src/modules/audit/audit.schemas.js';
import { createTestApp, type TestApp, type TestUser } from './harness.js';
import { addMember, createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { rejection } from './org-fixtures.js';

let app: TestApp;
let fx: OrgFixture;
let admin: TestUser;
let keyId: string;
let started: string;

beforeAll(async () => {
  app = await createTestApp();
  started = new Date(Date.now() - 1000).toISOString();
  fx = await createOrgFixture(app);
  admin = await addMember(app, fx.orgId, 'admin');
  const c = await app.caller(fx.owner.cookie, '203.0.113.7');
  const key = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Audited, "quoted" key' });
  keyId = key.record.id;
  await c.key.update({ orgId: fx.orgId, keyId, patch: { description: 'first' } });
  await c.key.update({ orgId: fx.orgId, keyId, patch: { description: 'second' } });
  await c.space.create({ orgId: fx.orgId, name: 'Ledger' });
  const a = await app.caller(admin.cookie, '198.51.100.2');
  await a.key.revoke({ orgId: fx.orgId, keyId });
  await a.space.create({ orgId: fx.orgId, name: 'Reports' });
});
afterAll(() => app.shutdown());

async function everything(input: Record<string, unknown>, limit = 200): Promise<TAuditEvent[]> {
  const c = await app.caller(fx.owner.cookie);
  const items: TAuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.audit.list({ orgId: fx.orgId, limit, ...input, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

describe('audit.list', () => {
  it('lists the organization’s events newest first, page by page', async () => {
    const all = await everything({});
    expect(all.length).toBeGreaterThanOrEqual(7);
    expect(all[0]).toMatchObject({
      action: 'space.create',
      actor: { type: 'user', id: admin.id, label: admin.email },
    });
    const times = all.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(await everything({}, 2)).toEqual(all);
    // Another organization's trail is separate.
    const other = await createOrgFixture(app);
    const o = await app.caller(other.owner.cookie);
    const theirs = await o.audit.list({ orgId: other.orgId });
    expect(theirs.items.some((e) => e.target.id === keyId)).toBe(false);
  });

  it('filters by actor, action prefix, target and time', async () => {
    const byAdmin = await everything({ actorId: admin.id });
    expect(byAdmin.map((e) => e.action)).toEqual(['space.create', 'key.revoke']);
    expect(byAdmin[1]).toMatchObject({ ip: '198.51.100.2', target: { type: 'api_key', id: keyId } });

    const keyActions = await everything({ action: 'key.' });
    expect(keyActions.map((e) => e.action)).toEqual(['key.revoke', 'key.update', 'key.update', 'key.create']);
    expect(await everything({ action: 'key_' })).toEqual([]);

    const onKey = await everything({ targetId: keyId });
    expect(onKey.map((e) => e.action)).toEqual(['key.revoke', 'key.update', 'key.update', 'key.create']);
    expect(onKey[1]).toMatchObject({ before: { description: 'first' }, after: { description: 'second' } });

    const now = new Date(Date.now() + 1000).toISOString();
    expect((await everything({ from: started, to: now })).length).toBe((await everything({})).length);
    expect(await everything({ to: started })).toEqual([]);
    const c = await app.caller(fx.owner.cookie);
    expect((await rejection(c.audit.list({ orgId: fx.orgId, from: now, to: started }))).code).toBe(
      'BAD_REQUEST',
    );
  });

  it('is for owners and admins only', async () => {
    const member = await addMember(app, fx.orgId, 'member', { spaceId: fx.spaceId, role: 'admin' });
    const m = await app.caller(member.cookie);
    expect((await rejection(m.audit.list({ orgId: fx.orgId }))).code).toBe('FORBIDDEN');
    expect(
      (await rejection(m.audit.exportCsv({ orgId: fx.orgId, from: started, to: new Date().toISOString() })))
        .code,
    ).toBe('FORBIDDEN');
  });
});

describe('audit.exportCsv', () => {
  it('exports the filtered trail as CSV with before/after as JSON', async () => {
    const c = await app.caller(fx.owner.cookie);
    const to = new Date(Date.now() + 1000).toISOString();
    const result = await c.audit.exportCsv({ orgId: fx.orgId, targetId: keyId, from: started, to });
    expect(result).toMatchObject({ rows: 4, truncated: false, note: null });
    expect(result.filename).toMatch(/^audit-log_.*\.csv$/);
    const lines = result.csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,time,actor_type,actor_id,actor,action,target_type,target_id,target,ip,before,after',
    );
    expect(lines).toHaveLength(6);
    expect(lines.at(-1)).toBe('');
    expect(lines[4]).toContain(',key.create,api_key,');
    // The key name holds a comma and quotes: quoted, quotes doubled.
    expect(lines[4]).toContain('"Audited, ""quoted"" key"');
    expect(lines[2]).toContain('"{""description"":""first""}","{""description"":""second""}"');
  });
});
