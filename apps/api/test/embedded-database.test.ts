import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, openEmbeddedDatabase } from '../src/db/embedded/embedded-database.js';

/**
 * The embedded database (decision 0017): PGlite in a child process behind the wire bridge,
 * reached with the ordinary PostgreSQL driver. Several clients share one single-user backend,
 * so the bridge must keep their transactions and statements apart, roll back what a vanished
 * client left open, and run COPY FROM STDIN, which PGlite does not speak on the wire.
 */
let db: EmbeddedDatabase;
const clients: pg.Client[] = [];

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ host: db.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
  await c.connect();
  clients.push(c);
  return c;
}

beforeAll(async () => {
  db = await openEmbeddedDatabase({ dataDir: 'memory://' });
  const c = await client();
  await c.query('create table items (id serial primary key, who text not null, n int not null)');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await db.stop();
});

describe('the embedded database behind the wire bridge', () => {
  it('keeps concurrent transactions of several clients apart', async () => {
    const [a, b, c] = await Promise.all([client(), client(), client()]);
    await Promise.all(
      [a, b, c].map(async (conn, k) => {
        await conn.query('begin');
        for (let i = 0; i < 15; i++)
          await conn.query('insert into items (who, n) values ($1, $2)', [`t${k}`, i]);
        if (k === 1) await conn.query('rollback');
        else await conn.query('commit');
      }),
    );
    const check = await client();
    const rows = await check.query<{ who: string; count: number }>(
      `select who, count(*)::int as count from items where who like 't%' group by who order by who`,
    );
    expect(rows.rows).toEqual([
      { who: 't0', count: 15 },
      { who: 't2', count: 15 },
    ]);
  });

  it('runs extended-protocol statements of many clients at once without mixing them up', async () => {
    const conns = await Promise.all(Array.from({ length: 4 }, () => client()));
    const answers = await Promise.all(
      conns.flatMap((conn, k) =>
        Array.from({ length: 25 }, (_, i) =>
          conn
            .query<{ v: string }>('select $1::text || $2::text as v', [`c${k}-`, String(i)])
            .then((r) => r.rows[0]?.v),
        ),
      ),
    );
    expect(answers).toEqual(conns.flatMap((_, k) => Array.from({ length: 25 }, (_, i) => `c${k}-${i}`)));
  });

  it('rolls back what a client left open when it disconnects, and serves the next one', async () => {
    const gone = await client();
    await gone.query('begin');
    await gone.query(`insert into items (who, n) values ('vanished', 1)`);
    gone.on('error', () => undefined);
    (gone as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const next = await client();
    const rows = await next.query(`select count(*)::int as n from items where who = 'vanished'`);
    expect(rows.rows[0]).toEqual({ n: 0 });
  });

  it('loads rows with COPY FROM STDIN, and reports a bad row as an error without breaking the connection', async () => {
    const conn = await client();
    const load = async (text: string) => {
      const stream = conn.query(copyFrom('copy items (who, n) from stdin'));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve());
        stream.on('error', reject);
      });
      stream.end(text);
      await done;
    };
    await load('copied\t1\ncopied\t2\nwith\\ttab\t3\n');
    const rows = await conn.query(`select who, n from items where who in ('copied', 'with	tab') order by n`);
    expect(rows.rows).toEqual([
      { who: 'copied', n: 1 },
      { who: 'copied', n: 2 },
      { who: 'with\ttab', n: 3 },
    ]);
    await expect(load('bad\tnot-a-number\n')).rejects.toThrow();
    const after = await conn.query('select 1 as ok');
    expect(after.rows).toEqual([{ ok: 1 }]);
  });
});
