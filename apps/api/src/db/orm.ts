import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import type { Options, EntityManager as SqlEntityManager, MikroORM as SqlMikroORM } from '@mikro-orm/sql';
import type { ClientConfig } from 'pg';
import { type EmbeddedDatabase, openEmbeddedDatabase } from './embedded/embedded-database.js';
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
  /** For `memory://`: start from this data-directory tarball (a migrated template, in tests). */
  pgliteTemplate?: string | undefined;
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

const embeddedOf = new WeakMap<Orm, EmbeddedDatabase>();
const connectionOf = new WeakMap<Orm, ClientConfig>();

/**
 * How to open a plain driver connection to the ORM's database (the request-log writer's COPY
 * connection): the server URL, or the embedded database's socket.
 */
export function connectionConfigOf(orm: Orm): ClientConfig {
  const config = connectionOf.get(orm);
  if (!config) throw new Error('this ORM was not opened by openOrm');
  return config;
}

/** The embedded database behind an ORM, if it is one (tests dump it as a template). */
export function embeddedDatabaseOf(orm: Orm): EmbeddedDatabase | undefined {
  return embeddedOf.get(orm);
}

/**
 * Opens the database chosen by the configuration, always through the PostgreSQL driver: a
 * server at `databaseUrl`, or the embedded PGlite, which runs in a child process serving the
 * wire protocol on a Unix socket (decision 0017), so no SQL ever runs on this process's event
 * loop. Closing the ORM stops an embedded database this process started. Does not migrate:
 * call {@link migrate}.
 */
export async function openOrm(config: DatabaseConfig): Promise<Orm> {
  const base = baseOrmOptions();
  if (config.databaseUrl) {
    const orm = (await PostgreSqlMikroORM.init({
      ...base,
      clientUrl: config.databaseUrl,
      debug: config.debug ?? false,
      pool: { min: 0, max: config.poolMax ?? 10 },
    } as Options)) as unknown as Orm;
    connectionOf.set(orm, { connectionString: config.databaseUrl });
    return orm;
  }
  const embedded = await openEmbeddedDatabase({
    dataDir: config.pgliteDir ?? '.data/pglite',
    templateFile: config.pgliteTemplate,
  });
  try {
    const orm = (await PostgreSqlMikroORM.init({
      ...base,
      host: embedded.socketDir,
      port: 5432,
      user: 'postgres',
      dbName: 'postgres',
      debug: config.debug ?? false,
      // PGlite is one backend: the bridge serialises statements anyway, so a second connection
      // only lets a batch writer and an admin query queue without waiting for a pool slot.
      pool: { min: 0, max: config.poolMax ?? 2 },
    } as Options)) as unknown as Orm;
    const close = orm.close.bind(orm);
    // The ORM's own close cannot know about the process behind the socket.
    orm.close = async (force?: boolean) => {
      await close(force);
      await embedded.stop();
    };
    embeddedOf.set(orm, embedded);
    connectionOf.set(orm, { host: embedded.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
    return orm;
  } catch (error) {
    await embedded.stop();
    throw error;
  }
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
