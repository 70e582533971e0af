import { randomBytes } from 'node:crypto';
import { MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import { inject } from 'vitest';
import { migrate, type Orm, openOrm } from '../src/db/orm.js';

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL (dropped afterwards).
 */
export interface TestDatabase {
  orm: Orm;
  kind: 'pglite' | 'postgresql';
  url: string | undefined;
  drop: () => Promise<void>;
}

export const testServerUrl = process.env.TEST_DATABASE_URL;

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated embedded database as a data-directory tarball (test/global-setup.ts). */
    pgliteTemplate: string;
  }
}

/** The migrated template of this run (vitest's global setup), when there is one. */
function template(): string | undefined {
  try {
    return inject('pgliteTemplate');
  } catch {
    return undefined;
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testServerUrl) {
    const orm = await openOrm({ pgliteDir: 'memory://', pgliteTemplate: template() });
    await migrate(orm);
    return { orm, kind: 'pglite', url: undefined, drop: () => orm.close(true) };
  }
  const name = `ks_test_${randomBytes(6).toString('hex')}`;
  const admin = await PostgreSqlMikroORM.init({
    clientUrl: testServerUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
  });
  await admin.em.getConnection().execute(`create database "${name}"`);
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  const orm = await openOrm({ databaseUrl: url.toString(), poolMax: 20 });
  await migrate(orm);
  return {
    orm,
    kind: 'postgresql',
    url: url.toString(),
    drop: async () => {
      await orm.close(true);
      await admin.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
      await admin.close(true);
    },
  };
}
