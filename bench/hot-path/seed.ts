/**
 * Seeds the embedded database the hot-path benchmark's API process will open: many
 * enterprise organizations, each with one space and keys issued through the real
 * `createKey` service (same format, hash and columns as production).
 *
 * Why many organizations: a plan's rate caps are account-wide per organization (enterprise:
 * 200/s, 3000/min, PLAN_LIMITS in packages/domain/src/rate-limit/plans.ts), and a verify
 * call meters the *verified* key (the `keys:verify` caller is not rate-limited, §5). A
 * throughput benchmark on one organization would measure the limiter refusing. Spreading
 * requests round-robin over N organizations keeps every organization far below its caps
 * (at 15,000 req/s over 1,000 organizations: 15/s and ≤ 900/min each), so every request is
 * admitted and the benchmark measures the full admitted path. Refusals are counted and must be 0.
 */
import { type DatabaseConfig, migrate, type Orm, openOrm } from '../../apps/api/src/db/orm.js';
import { ZCreateKeySchema } from '../../apps/api/src/modules/api-key/api-key.schemas.js';
import { createKey } from '../../apps/api/src/modules/api-key/create-key.js';

export interface SeededOrg {
  organizationId: string;
  spaceId: string;
  /** Full key with `keys:verify`: authenticates the verify calls (the caller, not metered). */
  callerKey: string;
  /** Full key verified in the request body (metered against its organization's caps). */
  verifiedKey: string;
}

async function seedOrg(orm: Orm, index: number, suffix: string): Promise<SeededOrg> {
  const organizationId = `org_b${suffix}${String(index).padStart(5, '0')}`.slice(0, 24);
  const spaceId = `spc_b${suffix}${String(index).padStart(5, '0')}`.slice(0, 24);
  const em = orm.em.fork();
  const conn = em.getConnection();
  await conn.execute(
    `insert into organizations (id, name, slug, plan, key_prefix, created_at, updated_at)
     values (?, ?, ?, 'enterprise', 'sk', now(), now())`,
    [organizationId, `Bench ${index}`, `bench-${suffix}-${index}`],
  );
  await conn.execute(
    `insert into spaces (id, organization_id, name, slug, logo_color, logo_url, scope_catalog, created_at, updated_at)
     values (?, ?, 'Bench', 'bench', '#4f46e5', null, ?, now(), now())`,
    [
      spaceId,
      organizationId,
      JSON.stringify(['keys:delete', 'keys:read', 'keys:verify', 'keys:write', 'orders:read']),
    ],
  );
  const ctx = {
    em,
    organizationId,
    principal: { kind: 'system' as const, label: 'bench', ip: null },
    now: new Date(),
  };
  const caller = await createKey(
    ctx,
    ZCreateKeySchema.parse({ spaceId, name: 'backend', category: 'production', scopes: ['keys:verify'] }),
  );
  const verified = await createKey(
    ctx,
    ZCreateKeySchema.parse({ spaceId, name: 'consumer', category: 'production', scopes: ['orders:read'] }),
  );
  return { organizationId, spaceId, callerKey: caller.key, verifiedKey: verified.key };
}

/** Creates `count` organizations in the database (embedded at `pgliteDir`, or a server) and closes it again. */
export async function seedHotPath(database: DatabaseConfig, count: number): Promise<SeededOrg[]> {
  const orm = await openOrm(database);
  try {
    await migrate(orm);
    const suffix = Date.now().toString(36).slice(-5);
    const orgs: SeededOrg[] = [];
    for (let i = 0; i < count; i++) orgs.push(await seedOrg(orm, i, suffix));
    // Checkpoint so the API process starts on a compact data directory.
    await orm.em.fork().getConnection().execute('checkpoint');
    return orgs;
  } finally {
    await orm.close(true);
  }
}
