/**
 * The notification list (§6, §7): the organization's events newest first, cursor-paginated;
 * owners and admins see all, members only events about their spaces' keys and events about
 * no space; other organizations' events never.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitEvent } from '../src/modules/event/event.service.js';
import { createTestApp, type TestApp } from './harness.js';
import { addMember, addSpace, createOrgFixture } from './key-fixtures.js';
import { fieldErrors, rejection } from './org-fixtures.js';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({ KEY_MAINTENANCE_PERIOD_MS: '60000' });
});
afterAll(() => app.shutdown());

describe('notification.list', () => {
  it('shows members only what concerns their spaces, newest first', async () => {
    const fx = await createOrgFixture(app);
    const owner = await app.caller(fx.owner.cookie);
    const otherSpace = await addSpace(app, fx.orgId, 'Other API');
    const { record: mine } = await owner.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Mine' });
    const { record: theirs } = await owner.key.create({
      orgId: fx.orgId,
      spaceId: otherSpace,
      name: 'Theirs',
    });
    const viewer = await addMember(app, fx.orgId, 'member', { spaceId: fx.spaceId, role: 'viewer' });
    const outsider = await addMember(app, fx.orgId, 'member');
    const admin = await addMember(app, fx.orgId, 'admin');

    // Revoking emits key.revoked in the same transaction: it is a notification at once.
    await owner.key.revoke({ orgId: fx.orgId, keyId: theirs.id });
    const em = app.db.orm.em.fork();
    const t = Date.now();
    await emitEvent(em, fx.orgId, 'key.expiring', { key_id: mine.id, space_id: fx.spaceId }, new Date(t + 1));
    // Events that name a key but no space are confined to the key's space.
    await emitEvent(em, fx.orgId, 'key.new_ip', { key_id: theirs.id, ip: '203.0.113.9' }, new Date(t + 2));
    await emitEvent(em, fx.orgId, 'key.new_ip', { key_id: mine.id, ip: '203.0.113.7' }, new Date(t + 3));
    await emitEvent(em, fx.orgId, 'ip.blocked', { ip: '198.51.100.4', key_id: null }, new Date(t + 4));
    await em.flush();
    // Another organization's events are never listed.
    const other = await createOrgFixture(app);
    await emitEvent(em, other.orgId, 'ip.blocked', { ip: '198.51.100.5', key_id: null });
    await em.flush();

    const list = async (cookie: string) =>
      (await (await app.caller(cookie)).notification.list({ orgId: fx.orgId })).data.map(
        (n) => `${n.type}:${String(n.data.key_id ?? n.data.ip)}`,
      );
    const all = [
      'ip.blocked:198.51.100.4',
      `key.new_ip:${mine.id}`,
      `key.new_ip:${theirs.id}`,
      `key.expiring:${mine.id}`,
      `key.revoked:${theirs.id}`,
    ];
    expect(await list(fx.owner.cookie)).toEqual(all);
    expect(await list(admin.cookie)).toEqual(all);
    expect(await list(viewer.cookie)).toEqual([
      'ip.blocked:198.51.100.4',
      `key.new_ip:${mine.id}`,
      `key.expiring:${mine.id}`,
    ]);
    expect(await list(outsider.cookie)).toEqual(['ip.blocked:198.51.100.4']);

    const [latest] = (await owner.notification.list({ orgId: fx.orgId, limit: 1 })).data;
    expect(latest).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'ip.blocked',
      createdAt: new Date(t + 4).toISOString(),
      firstAt: new Date(t + 4).toISOString(),
      count: 1,
      ips: [],
      read: false,
      data: { ip: '198.51.100.4', key_id: null },
    });
  });

  it('groups new IPs per key and UTC day, filters by kind, and keeps read state per user', async () => {
    const fx = await createOrgFixture(app);
    const owner = await app.caller(fx.owner.cookie);
    const admin = await addMember(app, fx.orgId, 'admin');
    const { record: key } = await owner.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'Busy' });
    const em = app.db.orm.em.fork();
    const day = Date.parse('2026-11-20T08:00:00.000Z');
    for (const [i, ip] of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.2'].entries()) {
      await emitEvent(em, fx.orgId, 'key.new_ip', { key_id: key.id, ip }, new Date(day + i * 3_600_000));
    }
    // The next UTC day is another entry; so is every other kind of event.
    await emitEvent(
      em,
      fx.orgId,
      'key.new_ip',
      { key_id: key.id, ip: '203.0.113.9' },
      new Date(day + 86_400_000),
    );
    await emitEvent(em, fx.orgId, 'ip.blocked', { ip: '198.51.100.7' }, new Date(day + 2 * 86_400_000));
    await em.flush();

    const page = await owner.notification.list({ orgId: fx.orgId });
    expect(page.data.map((n) => [n.type, n.count])).toEqual([
      ['ip.blocked', 1],
      ['key.new_ip', 1],
      ['key.new_ip', 4],
    ]);
    const grouped = page.data[2];
    expect(grouped?.ips.sort()).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3']);
    expect(grouped?.firstAt).toBe(new Date(day).toISOString());
    expect(grouped?.createdAt).toBe(new Date(day + 3 * 3_600_000).toISOString());
    expect(page.data.every((n) => !n.read)).toBe(true);

    const onlyIps = await owner.notification.list({ orgId: fx.orgId, kind: 'key.new_ip' });
    expect(onlyIps.data.map((n) => n.type)).toEqual(['key.new_ip', 'key.new_ip']);

    // Read state is the reader's own: the owner reads the grouped entry, the admin does not.
    await owner.notification.markRead({ orgId: fx.orgId, id: grouped?.id ?? '' });
    const after = await owner.notification.list({ orgId: fx.orgId });
    expect(after.data.map((n) => n.read)).toEqual([false, false, true]);
    const unread = await owner.notification.list({ orgId: fx.orgId, unread: true });
    expect(unread.data).toHaveLength(2);
    const adminCaller = await app.caller(admin.cookie);
    expect((await adminCaller.notification.list({ orgId: fx.orgId })).data.map((n) => n.read)).toEqual([
      false,
      false,
      false,
    ]);

    // Mark all read, then a newer event in the same group makes the entry unread again.
    await owner.notification.markAllRead({ orgId: fx.orgId });
    expect((await owner.notification.list({ orgId: fx.orgId, unread: true })).data).toHaveLength(0);
    await emitEvent(em, fx.orgId, 'ip.blocked', { ip: '198.51.100.8' });
    await em.flush();
    const fresh = await owner.notification.list({ orgId: fx.orgId, unread: true });
    expect(fresh.data.map((n) => n.data.ip)).toEqual(['198.51.100.8']);

    // An event of another organization cannot be marked.
    const other = await createOrgFixture(app);
    const foreign = await emitEvent(em, other.orgId, 'ip.blocked', { ip: '198.51.100.9' });
    await em.flush();
    expect((await rejection(owner.notification.markRead({ orgId: fx.orgId, id: foreign.id }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('does not list webhook test events, and a roll does not repeat an expiry notice', async () => {
    const fx = await createOrgFixture(app);
    const owner = await app.caller(fx.owner.cookie);
    const { record } = await owner.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: 'Expiring',
      expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    const { warnExpiringKeys } = await import('../src/modules/scheduler/expiry-notices.js');
    await warnExpiringKeys(app.db.orm.em.fork());
    await owner.key.roll({ orgId: fx.orgId, keyId: record.id, gracePeriodSeconds: 3600 });
    await warnExpiringKeys(app.db.orm.em.fork());
    const kinds = (await owner.notification.list({ orgId: fx.orgId, kind: 'key.expiring' })).data;
    expect(kinds).toHaveLength(1);
  });

  it('pages with a cursor without skipping or repeating events, even within one microsecond', async () => {
    const fx = await createOrgFixture(app);
    const c = await app.caller(fx.owner.cookie);
    const em = app.db.orm.em.fork();
    const same = new Date();
    for (let i = 0; i < 7; i++) await emitEvent(em, fx.orgId, 'ip.blocked', { ip: `192.0.2.${i}` }, same);
    await em.flush();
    // Rows written by SQL carry microseconds, which JavaScript dates cannot hold.
    await em.execute(
      `insert into events (id, organization_id, type, payload, created_at)
       select 'evt_sql' || g, ?, 'ip.blocked', jsonb_build_object('ip', '198.51.100.' || g), now()
         from generate_series(1, 5) g`,
      [fx.orgId],
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await c.notification.list({ orgId: fx.orgId, limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((n) => n.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);

    const bad = await rejection(c.notification.list({ orgId: fx.orgId, cursor: 'not-a-cursor' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(fieldErrors(bad).cursor).toMatch(/no longer valid/);
  });
});
