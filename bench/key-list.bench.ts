/**
 * Admin key list at scale (issue 4): seeds 100,000 keys in one organization and measures the
 * p50/p95 of the three list queries the keys screen issues (first page, a name search, a
 * filtered page), against a baseline measured in the same run: the same queries on an
 * organization with 1,000 keys. Runs on PGlite, and on PostgreSQL when BENCH_DATABASE_URL is set.
 */

import { migrate, type Orm, openOrm } from '../apps/api/src/db/orm.js';
import { pgTextArray } from '../apps/api/src/db/sql.js';
import { ZListKeysSchema } from '../apps/api/src/modules/api-key/api-key.schemas.js';
import { listKeys } from '../apps/api/src/modules/api-key/list-keys.js';
import { type BenchResult, percentile } from './stats.js';

async function seed(orm: Orm, orgId: string, count: number): Promise<string[]> {
  const conn = orm.em.fork().getConnection();
  await conn.execute(
    `insert into organizations (id, name, slug, plan, key_prefix, created_at, updated_at)
     values (?, ?, ?, 'team', 'sk', now(), now())`,
    [orgId, orgId, orgId.toLowerCase().replace('_', '-')],
  );
  const spaces = Array.from({ length: 5 }, (_, i) => `spc_${orgId.slice(4, 14)}${i}`);
  for (const [i, id] of spaces.entries()) {
    await conn.execute(
      `insert into spaces (id, organization_id, name, slug, logo_color, logo_url, scope_catalog, created_at, updated_at)
       values (?, ?, ?, ?, '#4f46e5', null, '["keys:read"]', now(), now())`,
      [id, orgId, `Space ${i}`, `space-${i}`],
    );
  }
  await conn.execute(
    `insert into api_keys (id, organization_id, space_id, owner_user_id, owner_key_id, name, name_normalized, description,
       category, environment, scopes, secret_hash, preview, expires_at, active, revoked_at, ip_allowlist, auto_renew,
       created_at, updated_at, last_used_at, version)
     select 'key_' || substr(md5(?::text || i), 1, 16), ?, (?::text[])[1 + i % 5], null, null,
            'Service ' || i || ' ' || (array['checkout','billing','search','mobile','partner'])[1 + i % 5],
            'service ' || i || ' ' || (array['checkout','billing','search','mobile','partner'])[1 + i % 5], '',
            (array['production','staging','development'])[1 + i % 3], (array['live','test'])[1 + i % 2], '[]',
            md5(i::text) || md5(i::text), 'sk_live_abcd...wxyz', null, i % 10 <> 0, case when i % 50 = 0 then now() end,
            '[]', false, now() - make_interval(secs => i), now(),
            case when i % 3 = 0 then now() - make_interval(secs => i * 7) end, 1
       from generate_series(1, ?) as g(i)`,
    [orgId, orgId, pgTextArray(spaces), count],
  );
  await conn.execute('analyze api_keys');
  return spaces;
}

async function measure(
  orm: Orm,
  orgId: string,
  input: Record<string, unknown>,
  runs: number,
): Promise<number[]> {
  const parsed = ZListKeysSchema.parse(input);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = {
      em: orm.em.fork(),
      organizationId: orgId,
      principal: { kind: 'system' as const, label: 'bench', ip: null },
      now: new Date(),
    };
    const start = performance.now();
    await listKeys(ctx, parsed);
    times.push(performance.now() - start);
  }
  return times;
}

export async function benchKeyList(databaseUrl: string | undefined, runs = 60): Promise<BenchResult[]> {
  const target = databaseUrl ? 'PostgreSQL' : 'PGlite';
  const orm = await openOrm(databaseUrl ? { databaseUrl } : { pgliteDir: 'memory://' });
  const results: BenchResult[] = [];
  try {
    await migrate(orm);
    const suffix = Date.now().toString(36);
    process.stderr.write(`  seeding 1,000 + 100,000 keys on ${target}…\n`);
    const small = `org_bench_s_${suffix}`.slice(0, 24);
    const large = `org_bench_l_${suffix}`.slice(0, 24);
    const smallSpaces = await seed(orm, small, 1_000);
    const largeSpaces = await seed(orm, large, 100_000);
    const cases = [
      { name: 'first page (25, newest first)', input: {} },
      { name: 'search "checkout" (substring)', input: { search: 'checkout' } },
      {
        name: 'filtered: space + live + active',
        input: { spaceId: 0, environment: 'live', status: 'active' },
      },
      { name: 'sorted by last used, page 40', input: { sort: 'lastUsed', page: 40 } },
    ];
    for (const c of cases) {
      const forOrg = (spaces: string[]) =>
        c.input.spaceId === 0 ? { ...c.input, spaceId: spaces[0] } : (c.input as Record<string, unknown>);
      await measure(orm, large, forOrg(largeSpaces), 5); // warm up
      const base = await measure(orm, small, forOrg(smallSpaces), runs);
      const big = await measure(orm, large, forOrg(largeSpaces), runs);
      results.push({
        name: `key list on ${target}: ${c.name}`,
        unit: 'ms',
        value: percentile(big, 95),
        p50: percentile(big, 50),
        baseline: percentile(base, 95),
        baselineName: 'p95 at 1,000 keys',
        lowerIsBetter: true,
      });
    }
  } finally {
    await orm.close(true);
  }
  return results;
}
