import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { embeddedDatabaseOf, migrate, openOrm } from '../src/db/orm.js';
import './database.js';

/**
 * Migrates one embedded database for the whole run and hands its data directory to every test
 * file, which then starts from a copy instead of migrating from scratch (seconds per file).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'keysmith-template-'));
  const file = path.join(dir, 'pglite-template.tar');
  const orm = await openOrm({ pgliteDir: 'memory://' });
  try {
    await migrate(orm);
    const dump = await embeddedDatabaseOf(orm)?.dump();
    if (!dump) throw new Error('no embedded database to dump');
    writeFileSync(file, dump);
  } finally {
    await orm.close(true);
  }
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
