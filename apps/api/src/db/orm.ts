import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as PgliteMikroORM } from '@mikro-orm/pglite';
import { MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import type { Options, EntityManager as SqlEntityManager, MikroORM as SqlMikroORM } from '@mikro-orm/sql';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** The driver-neutral ORM: PGlite and the PostgreSQL server share the PostgreSQL platform. */
export type Orm = SqlMikroORM;
export type Em = SqlEntityManager;

export interface DatabaseConfig {
  /** `postgres://…`: use a PostgreSQL server. */
  databaseUrl?: string | undefined;
  /** Embedded PGlite data directory, or `memory://` for a throwaway in-memory database. */
  pgliteDir?: string | undefined;
  debug?: boolean;
  /** Pool size for the server driver. */
  poolMax?: number;
}

/** Options shared by both drivers; migrations come from an explicit list so dist and tsx behave alike. */
export function baseOrmOptions(): Partial<Options> {
  return {
    entities,
    extensions: [Migrator],
    // Entities are explicit schemas; no reflection, no folder scanning at start.
    discovery: { warnWhenNoEntities: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    migrations: {
      migrationsList,
      snapshot: false,
      snapshotOnMigrate: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
  };
}

/** Opens the database chosen by the configuration. Does not migrate: call {@link migrate}. */
export async function openOrm(config: DatabaseConfig): Promise<Orm> {
  const base = baseOrmOptions();
  if (config.databaseUrl) {
    const orm = await PostgreSqlMikroORM.init({
      ...base,
      clientUrl: config.databaseUrl,
      debug: config.debug ?? false,
      pool: { min: 0, max: config.poolMax ?? 10 },
    } as Options);
    return orm as unknown as Orm;
  }
  const dir = config.pgliteDir ?? '.data/pglite';
  if (!dir.startsWith('memory:')) mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const orm = await PgliteMikroORM.init({ ...base, dbName: dir, debug: config.debug ?? false } as Options);
  return orm as unknown as Orm;
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** Whether the database answers a trivial query (a failed write's cause: the data, or the database?). */
export async function databaseReachable(orm: Orm): Promise<boolean> {
  try {
    await orm.em.fork().getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
