import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_EXPORT_MAX_ROWS } from '../src/modules/request-log/csv.js';
import type { TRequestLog } from '../src/modules/request-log/request-log.schemas.js';
import { exportRequestLogsCsv } from '../src/modules/request-log/request-log.service.js';
import { deleteExpiredRequestLogs } from '../src/modules/request-log/request-log-retention.js';
import { createTestApp, type TestApp } from './harness.js';
import { addMember, addSpace, createOrgFixture, type OrgFixture } from './key-fixtures.js';
import { rejection } from './org-fixtures.js';

let app: TestApp;
let base: string;
let fx: OrgFixture;
let otherSpace: string;
let keyA: { key: string; id: string };
let keyB: { key: string; id: string };
let keyC: { key: string; id: string };
/** A fixed past hour the inserted rows live in, so filters by time are exact. */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

beforeAll(async () => {
  app = await createTestApp({ TRUST_PROXY_HOPS: '1' });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  fx = await createOrgFixture(app);
  otherSpace = await addSpace(app, fx.orgId, 'Other space');
  const c = await app.caller(fx.owner.cookie);
  const make = async (name: string, spaceId: string) => {
    const created = await c.key.create({ orgId: fx.orgId, spaceId, name });
    return { key: created.key, id: created.record.id };
  };
  keyA = await make('key a', fx.spaceId);
  keyB = await make('key b', fx.spaceId);
  keyC = await make('key c', otherSpace);
});
afterAll(() => app.shutdown());

interface Row {
  keyId: string;
  spaceId: string;
  time: number;
  endpoint?: string;
  status?: number;
  code?: string;
  ip?: string;
  orgId?: string;
}

async function insertRows(rows: Row[]): Promise<void> {
  const conn = app.db.orm.em.fork().getConnection();
  for (const r of rows) {
    await conn.execute(
      `insert into request_logs (organization_id, space_id, key_id, time, method, endpoint, status, duration_ms, ip, credits, code)
       values (?, ?, ?, ?, 'GET', ?, ?, 2.5, ?, 1, ?)`,
      [
        r.orgId ?? fx.orgId,
        r.spaceId,
        r.keyId,
        new Date(r.time),
        r.endpoint ?? '/v1/things',
        r.status ?? 200,
        r.ip ?? '192.0.2.10',
        r.code ?? 'VALID',
      ],
    );
  }
}

async function owner() {
  return app.caller(fx.owner.cookie);
}

/** Every page of a listing, following cursors. */
async function allPages(input: Record<string, unknown>, limit: number): Promise<TRequestLog[]> {
  const c = await owner();
  const items: TRequestLog[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.log.list({ orgId: fx.orgId, limit, ...input, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

describe('log.list', () => {
  beforeAll(async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 25; i++) {
      rows.push({
        keyId: keyA.id,
        spaceId: fx.spaceId,
        time: T0 + i * 60_000,
        endpoint: i % 2 === 0 ? '/v1/charges/100%_off' : '/v1/refunds',
        status: i % 5 === 0 ? 401 : 200,
        code: i % 5 === 0 ? 'REVOKED' : 'VALID',
        ip: i % 3 === 0 ? '203.0.113.7' : '192.0.2.10',
      });
    }
    // Three rows in the same microsecond: the cursor must not skip or repeat any of them.
    for (let i = 0; i < 3; i++) rows.push({ keyId: keyB.id, spaceId: fx.spaceId, time: T0 + 5 * 60_000 });
    rows.push({ keyId: keyC.id, spaceId: otherSpace, time: T0 + 90_000 });
    await insertRows(rows);
  });

  it('pages newest first with an opaque cursor over (time, id), ties included', async () => {
    const all = await allPages({}, 4);
    expect(all).toHaveLength(29);
    expect(new Set(all.map((r) => r.id)).size).toBe(29);
    const keys = all.map((r) => [Date.parse(r.time), Number(r.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [t0, id0] = keys[i - 1] ?? [0, 0];
      const [t1, id1] = keys[i] ?? [0, 0];
      expect(t0 > t1 || (t0 === t1 && id0 > id1)).toBe(true);
    }
    expect(all[0]).toMatchObject({
      keyId: keyA.id,
      keyName: 'key a',
      spaceId: fx.spaceId,
      method: 'GET',
      durationMs: 2.5,
      credits: 1,
    });
    expect(await allPages({}, 1)).toEqual(all);
  });

  it('filters by key, space, status, code, IP, endpoint prefix and time', async () => {
    const ids = (rows: TRequestLog[]) => rows.map((r) => r.id);
    const all = await allPages({}, 200);
    expect(ids(await allPages({ keyId: keyA.id }, 200))).toEqual(ids(all.filter((r) => r.keyId === keyA.id)));
    expect(ids(await allPages({ spaceId: otherSpace }, 200))).toEqual(
      ids(all.filter((r) => r.keyId === keyC.id)),
    );
    expect(await allPages({ status: 401 }, 200)).toHaveLength(5);
    expect(await allPages({ code: 'REVOKED', keyId: keyA.id }, 200)).toHaveLength(5);
    expect(await allPages({ ip: '203.0.113.7' }, 200)).toHaveLength(9);
    // `%` and `_` are literal: the prefix matches only the charges rows.
    expect(await allPages({ endpoint: '/v1/charges/100%_' }, 200)).toHaveLength(13);
    expect(await allPages({ endpoint: '/v1/charges/100__' }, 200)).toHaveLength(0);
    const window = await allPages(
      { from: new Date(T0 + 10 * 60_000).toISOString(), to: new Date(T0 + 20 * 60_000).toISOString() },
      200,
    );
    expect(window.map((r) => r.time)).toEqual(
      Array.from({ length: 10 }, (_, i) => new Date(T0 + (19 - i) * 60_000).toISOString()),
    );
    const c = await owner();
    expect((await rejection(c.log.list({ orgId: fx.orgId, keyId: keyA.id, spaceId: fx.spaceId }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await rejection(c.log.list({ orgId: fx.orgId, cursor: 'not-a-cursor' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect(
      (
        await rejection(
          c.log.list({ orgId: fx.orgId, from: new Date(T0).toISOString(), to: new Date(T0).toISOString() }),
        )
      ).code,
    ).toBe('BAD_REQUEST');
  });

  it('shows members only the spaces they belong to; other keys and spaces do not exist for them', async () => {
    const viewer = await addMember(app, fx.orgId, 'member', { spaceId: otherSpace, role: 'viewer' });
    const v = await app.caller(viewer.cookie);
    const page = await v.log.list({ orgId: fx.orgId, limit: 200 });
    expect(page.items.map((r) => r.keyId)).toEqual([keyC.id]);
    expect((await rejection(v.log.list({ orgId: fx.orgId, keyId: keyA.id }))).code).toBe('NOT_FOUND');
    expect((await rejection(v.log.list({ orgId: fx.orgId, spaceId: fx.spaceId }))).code).toBe('NOT_FOUND');
    // Another organization's ids are not found either.
    const other = await createOrgFixture(app);
    const o = await app.caller(other.owner.cookie);
    expect((await rejection(o.log.list({ orgId: other.orgId, keyId: keyA.id }))).code).toBe('NOT_FOUND');
    expect((await rejection(o.log.list({ orgId: other.orgId, spaceId: fx.spaceId }))).code).toBe('NOT_FOUND');
    expect((await o.log.list({ orgId: other.orgId })).items).toEqual([]);
  });

  it('lists rows written by real /v1 traffic, with endpoint and caller IP', async () => {
    const res = await fetch(`${base}/v1/rate-limit`, {
      headers: { authorization: `Bearer ${keyB.key}`, 'x-forwarded-for': '192.0.2.77' },
    });
    expect(res.status).toBe(200);
    await app.services.verification.flush();
    const c = await owner();
    const page = await c.log.list({ orgId: fx.orgId, keyId: keyB.id, limit: 1 });
    expect(page.items[0]).toMatchObject({
      keyId: keyB.id,
      method: 'GET',
      endpoint: '/v1/rate-limit',
      status: 200,
      ip: '192.0.2.77',
      code: 'VALID',
    });
  });
});

/** Minimal RFC 4180 reader for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('log.exportCsv', () => {
  it('exports the filtered range with a header, RFC 4180 quoting and no live formulas', async () => {
    const t = Date.UTC(2026, 1, 1, 8, 0, 0);
    await insertRows([
      { keyId: keyA.id, spaceId: fx.spaceId, time: t, endpoint: '/v1/search?q="a,b"\nnext' },
      {
        keyId: keyA.id,
        spaceId: fx.spaceId,
        time: t + 1000,
        endpoint: '=HYPERLINK("http://evil")',
        code: 'FORBIDDEN',
        status: 403,
      },
      { keyId: keyA.id, spaceId: fx.spaceId, time: t + 2000, endpoint: '/v1/plain' },
    ]);
    const c = await owner();
    const from = new Date(t).toISOString();
    const to = new Date(t + 60_000).toISOString();
    const result = await c.log.exportCsv({ orgId: fx.orgId, keyId: keyA.id, from, to });
    expect(result).toMatchObject({ rows: 3, truncated: false, note: null });
    expect(result.filename).toMatch(/^request-logs_2026-02-01T08-00-00-000Z_2026-02-01T08-01-00-000Z\.csv$/);
    expect(result.csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(result.csv);
    expect(header).toEqual([
      'id',
      'time',
      'key_id',
      'key_name',
      'space_id',
      'method',
      'endpoint',
      'status',
      'duration_ms',
      'ip',
      'credits',
      'code',
    ]);
    expect(rows.map((r) => [r[1], r[2], r[3], r[6], r[7], r[11]])).toEqual([
      [new Date(t + 2000).toISOString(), keyA.id, 'key a', '/v1/plain', '200', 'VALID'],
      [new Date(t + 1000).toISOString(), keyA.id, 'key a', `'=HYPERLINK("http://evil")`, '403', 'FORBIDDEN'],
      [new Date(t).toISOString(), keyA.id, 'key a', '/v1/search?q="a,b"\nnext', '200', 'VALID'],
    ]);
    expect(result.csv).toContain('"/v1/search?q=""a,b""\nnext"');
    const filtered = await c.log.exportCsv({ orgId: fx.orgId, code: 'FORBIDDEN', from, to });
    expect(filtered.rows).toBe(1);
  });

  it('stops at the row cap and says where', async () => {
    const t = Date.UTC(2025, 11, 1);
    const c = await owner();
    const other = await createOrgFixture(app);
    const { record } = await (await app.caller(other.owner.cookie)).key.create({
      orgId: other.orgId,
      spaceId: other.spaceId,
      name: 'bulk',
    });
    await insertRows(
      Array.from({ length: 12 }, (_, i) => ({
        keyId: record.id,
        spaceId: other.spaceId,
        orgId: other.orgId,
        time: t + i,
      })),
    );
    const ctx = {
      em: app.db.orm.em.fork(),
      organizationId: other.orgId,
      principal: { kind: 'system', label: 'test', ip: null },
      now: new Date(),
    } as const;
    const range = { from: new Date(t).toISOString(), to: new Date(t + 60_000).toISOString() };
    const cut = await exportRequestLogsCsv(ctx, { keyId: record.id, ...range }, 10);
    expect(cut).toMatchObject({ rows: 10, truncated: true });
    expect(cut.note).toBe(
      `Only the newest 10 rows are included (back to ${new Date(t + 2).toISOString()}). ` +
        'Export the earlier part with a range ending at that time.',
    );
    expect(cut.csv.split('\r\n')).toHaveLength(12);
    expect((await exportRequestLogsCsv(ctx, { keyId: record.id, ...range }, 12)).truncated).toBe(false);
    expect(CSV_EXPORT_MAX_ROWS).toBe(100_000);
    expect((await c.log.exportCsv({ orgId: fx.orgId, ...range })).rows).toBe(0);
  });

  it('stops at 100,000 rows through the procedure (PostgreSQL server; too slow for the embedded database)', async () => {
    if (app.db.kind !== 'postgresql') return;
    const t = Date.UTC(2025, 10, 1);
    await app.db.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into request_logs (organization_id, space_id, key_id, time, method, endpoint, status, duration_ms, ip, credits, code)
         select ?, ?, ?, ?::timestamptz + (n * interval '1 millisecond'), 'GET', '/v1/bulk', 200, 1, '192.0.2.1', 1, 'VALID'
           from generate_series(1, 100005) as n`,
        [fx.orgId, otherSpace, keyC.id, new Date(t)],
      );
    const c = await owner();
    const result = await c.log.exportCsv({
      orgId: fx.orgId,
      keyId: keyC.id,
      from: new Date(t).toISOString(),
      to: new Date(t + 3_600_000).toISOString(),
    });
    expect(result).toMatchObject({ rows: 100_000, truncated: true });
    expect(result.note).toMatch(
      /^Only the newest 100,000 rows are included \(back to 2025-11-01T00:00:00\.006Z\)/,
    );
    expect(result.csv.split('\r\n')).toHaveLength(100_002);
  }, 120_000);
});

describe('retention', () => {
  const DAY = 86_400_000;

  /** The app's own retention loop runs at start; wait for the lock rather than race it. */
  async function runRetention(options: Parameters<typeof deleteExpiredRequestLogs>[3]) {
    for (let i = 0; i < 50; i++) {
      const result = await deleteExpiredRequestLogs(app.db.orm, 90, new Date(), options);
      if (result.ran) return result;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('retention lock never free');
  }

  async function count(sql: string, params: unknown[]): Promise<number> {
    const rows: { n: number | string }[] = await app.db.orm.em.fork().getConnection().execute(sql, params);
    return Number(rows[0]?.n);
  }

  it('deletes only rows older than the retention, in batches', async () => {
    // Earlier tests left old rows behind: clear them first, so the batches below are ours.
    await runRetention({ pauseMs: 0 });
    const org = await createOrgFixture(app);
    const c = await app.caller(org.owner.cookie);
    const { record } = await c.key.create({ orgId: org.orgId, spaceId: org.spaceId, name: 'old' });
    const now = Date.now();
    const old = Array.from({ length: 12 }, (_, i) => ({
      keyId: record.id,
      spaceId: org.spaceId,
      orgId: org.orgId,
      time: now - 91 * DAY - i * 1000,
    }));
    const young = [89, 1, 0].map((d) => ({
      keyId: record.id,
      spaceId: org.spaceId,
      orgId: org.orgId,
      time: now - d * DAY,
    }));
    await insertRows([...old, ...young]);
    const countOld = () =>
      count('select count(*) as n from request_logs where key_id = ? and time < ?', [
        record.id,
        new Date(now - 90 * DAY),
      ]);

    // One batch deletes exactly one batch of rows.
    const first = await runRetention({ batchSize: 5, pauseMs: 0, maxBatches: 1 });
    expect(first).toMatchObject({ ran: true, batches: 1 });
    expect(await countOld()).toBe(7);

    const rest = await runRetention({ batchSize: 5, pauseMs: 0 });
    // 5 + 2 request log rows, then one empty batch for each of the four other tables.
    expect(rest).toMatchObject({ requestLogs: 7, batches: 6 });
    expect(await countOld()).toBe(0);
    expect(await count('select count(*) as n from request_logs where key_id = ?', [record.id])).toBe(3);
  });

  it('prunes usage buckets no quota window can count any more', async () => {
    const org = await createOrgFixture(app);
    const now = Date.now();
    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    const conn = app.db.orm.em.fork().getConnection();
    const bucket = (granularity: string, start: number) =>
      conn.execute(
        `insert into usage_buckets (organization_id, key_id, granularity, bucket_start, credits) values (?, 'key_retention000001', ?, ?, 1)`,
        [org.orgId, granularity, new Date(start)],
      );
    await bucket('total', 0);
    await bucket('minute', hour - 3 * DAY);
    await bucket('minute', hour - DAY);
    await bucket('hour', hour - 40 * DAY);
    await bucket('hour', hour - 29 * DAY);
    await runRetention({ pauseMs: 0 });
    const left: { granularity: string; bucket_start: Date | string }[] = await conn.execute(
      `select granularity, bucket_start from usage_buckets where key_id = 'key_retention000001' order by granularity, bucket_start`,
    );
    expect(left.map((b) => [b.granularity, new Date(b.bucket_start).getTime()])).toEqual([
      ['hour', hour - 29 * DAY],
      ['minute', hour - DAY],
      ['total', 0],
    ]);
  });

  it('prunes the per-minute verify-call and failed-auth counts with the logs, and day-old sign-in attempts', async () => {
    const org = await createOrgFixture(app);
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    const conn = app.db.orm.em.fork().getConnection();
    for (const age of [91 * DAY, 89 * DAY]) {
      await conn.execute(
        `insert into verify_calls (key_id, organization_id, minute, code, count) values ('key_retention000002', ?, ?, 'VALID', 3)`,
        [org.orgId, new Date(minute - age)],
      );
      await conn.execute(
        `insert into auth_failures (organization_id, ip, minute, code, key_id, source, count) values (?, '192.0.2.77', ?, 'INVALID', '', 'verify', 2)`,
        [org.orgId, new Date(minute - age)],
      );
    }
    const subject = `retention-test:${org.orgId}`;
    for (const age of [2 * DAY, 60_000]) {
      await conn.execute('insert into sign_in_attempts (subject, at) values (?, ?)', [
        subject,
        new Date(now - age),
      ]);
    }
    const result = await runRetention({ pauseMs: 0 });
    expect(result).toMatchObject({ verifyCalls: 1, authFailures: 1, signInAttempts: 1 });
    const ages = async (sql: string, params: unknown[]) =>
      ((await conn.execute(sql, params)) as { t: Date | string }[]).map((r) =>
        Math.round((now - new Date(r.t).getTime()) / DAY),
      );
    expect(
      await ages(`select minute as t from verify_calls where key_id = 'key_retention000002'`, []),
    ).toEqual([89]);
    expect(
      await ages(`select minute as t from auth_failures where organization_id = ?`, [org.orgId]),
    ).toEqual([89]);
    expect(await ages('select at as t from sign_in_attempts where subject = ?', [subject])).toEqual([0]);
  });

  it('on a PostgreSQL server, runs in one process at a time (advisory lock)', async () => {
    if (app.db.kind !== 'postgresql') return;
    const conn = app.db.orm.em.getConnection();
    await conn
      .getClient()
      .connection()
      .execute(async (pinned) => {
        await conn.execute(
          `select pg_advisory_lock(hashtext('keysmith:request-log-retention'))`,
          [],
          'all',
          pinned,
        );
        try {
          const skipped = await deleteExpiredRequestLogs(app.db.orm, 90, new Date(), { pauseMs: 0 });
          expect(skipped).toEqual({
            ran: false,
            requestLogs: 0,
            usageBuckets: 0,
            verifyCalls: 0,
            authFailures: 0,
            signInAttempts: 0,
            batches: 0,
          });
        } finally {
          await conn.execute(
            `select pg_advisory_unlock(hashtext('keysmith:request-log-retention'))`,
            [],
            'all',
            pinned,
          );
        }
      });
    expect((await runRetention({ pauseMs: 0 })).ran).toBe(true);
  });
});
