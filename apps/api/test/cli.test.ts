import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseApiKey } from '@keysmith/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.js';
import { openOrm } from '../src/db/orm.js';
import { KeyPolicyRecord } from '../src/modules/key-policy/key-policy.entity.js';
import { Organization } from '../src/modules/organization/organization.entity.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startApiProcess, stopAllApiProcesses } from './multi-process-cluster.js';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../src/cli.ts');
let dataDir: string;
let db: TestDatabase | undefined;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'keysmith-cli-'));
  env = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: undefined };
  if (process.env.TEST_DATABASE_URL) {
    // On the server, each run gets a fresh database of its own.
    db = await createTestDatabase();
    env.DATABASE_URL = db.url;
  }
});
afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function keysmith(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return keysmithWith(env, ...args);
}

async function keysmithWith(
  environment: Record<string, string | undefined>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@keysmith/source', '--import', 'tsx', cli, ...args],
      {
        env: environment,
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('keysmith CLI', { timeout: 120_000 }, () => {
  it('bootstraps once, printing a root key with admin:*', async () => {
    const first = await keysmith(
      'bootstrap',
      '--org',
      'Acme',
      '--email',
      'owner@acme.test',
      '--password',
      'bootstrap pw 1',
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const key = /Root key:\s+(\S+)/.exec(first.stdout)?.[1] ?? '';
    expect(parseApiKey(key).ok).toBe(true);
    expect(first.stdout).toContain('team plan');
    const again = await keysmith(
      'bootstrap',
      '--org',
      'Other',
      '--email',
      'x@acme.test',
      '--password',
      'bootstrap pw 2',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('users already exist');
  });

  it('creates and revokes keys for scripts, with clear errors and exit codes', async () => {
    const created = await keysmith(
      'create-key',
      '--org',
      'acme',
      '--name',
      'CI deploy',
      '--env',
      'test',
      '--daily',
      '500',
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const parsed = parseApiKey(key);
    expect(parsed.ok && parsed.key.environment).toBe('test');
    const duplicate = await keysmith('create-key', '--org', 'acme', '--name', 'ci DEPLOY');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
    const revoked = await keysmith('revoke-key', '--org', 'acme', '--key', key);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^Revoked key_\w{16} \(CI deploy\)/);
    const twice = await keysmith('revoke-key', '--org', 'acme', '--key', key);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already revoked');
  });

  it('answers usage errors with exit code 2', async () => {
    expect((await keysmith('create-key', '--org', 'acme')).code).toBe(2);
    expect(
      (await keysmith('create-key', '--org', 'acme', '--name', 'x', '--daily', 'lots')).stderr,
    ).toContain('--daily');
    expect((await keysmith('frobnicate')).code).toBe(2);
    expect((await keysmith('revoke-key', '--org', 'acme', '--key', 'sk_live_nope')).code).toBe(2);
    const unknownOrg = await keysmith('revoke-key', '--org', 'nope', '--id', 'key_0000000000000000');
    expect(unknownOrg.code).toBe(1);
    expect(unknownOrg.stderr).toContain('No organization with slug "nope"');
  });

  it('works while the server runs: a key the CLI revokes is refused by the server within 1 s', async () => {
    const serverDir = mkdtempSync(path.join(tmpdir(), 'keysmith-cli-server-'));
    // On the PostgreSQL server both processes share a fresh database; embedded, a data directory.
    const serverDb = db ? await createTestDatabase() : null;
    try {
      const shared = serverDb ? { DATABASE_URL: serverDb.url ?? '' } : { DATA_DIR: serverDir };
      const server = await startApiProcess('cli-server', shared);
      const cliEnv = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: undefined, ...shared };
      const boot = await keysmithWith(
        cliEnv,
        'bootstrap',
        '--org',
        'Side',
        '--email',
        'side@acme.test',
        '--password',
        'side pw 123',
      );
      expect(boot.stderr).toBe('');
      const rootKey = /Root key:\s+(\S+)/.exec(boot.stdout)?.[1] ?? '';
      const check = async () =>
        (await fetch(`${server.url}/v1/rate-limit`, { headers: { authorization: `Bearer ${rootKey}` } }))
          .status;
      expect(await check()).toBe(200);
      const revoked = await keysmithWith(cliEnv, 'revoke-key', '--org', 'side', '--key', rootKey);
      expect(revoked.code).toBe(0);
      const cliDone = performance.now();
      let seenAfter: number | null = null;
      while (performance.now() - cliDone < 5000) {
        if ((await check()) === 401) {
          seenAfter = performance.now() - cliDone;
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(seenAfter, 'the server never refused the revoked key').not.toBeNull();
      expect(seenAfter ?? Number.POSITIVE_INFINITY).toBeLessThan(1000);
      await server.stop();
    } finally {
      await stopAllApiProcesses();
      await serverDb?.drop();
      rmSync(serverDir, { recursive: true, force: true });
    }
  });
  it('applies the key policy: refusals name the option to change', async () => {
    // The CLI's own database (PGlite under DATA_DIR, or the server's), opened while no CLI runs.
    const orm = db ? db.orm : await openOrm({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      const em = orm.em.fork();
      const org = await em.findOneOrFail(Organization, { slug: 'acme' });
      em.create(KeyPolicyRecord, {
        id: newId('kpl'),
        organization: org.id,
        space: null,
        maxLifetimeDays: 30,
        requireExpiry: false,
        idleDeactivateDays: null,
        rotationReminderDays: null,
        requireIpAllowlistForLive: true,
        leakResponse: null,
      });
      await em.flush();
    } finally {
      if (!db) await orm.close();
    }
    const noExpiry = await keysmith('create-key', '--org', 'acme', '--name', 'policy 1', '--env', 'test');
    expect(noExpiry.code).toBe(1);
    expect(noExpiry.stderr).toContain('--expires: Keys here must expire within 30 days: set an expiry date');
    const soon = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const live = await keysmith('create-key', '--org', 'acme', '--name', 'policy 2', '--expires', soon);
    expect(live.code).toBe(1);
    expect(live.stderr).toContain('--ip-allowlist: Live keys here must have an IP allowlist');
    const ok = await keysmith(
      'create-key',
      '--org',
      'acme',
      '--name',
      'policy 3',
      '--expires',
      soon,
      '--ip-allowlist',
      '203.0.113.0/24, 198.51.100.7',
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(parseApiKey(ok.stdout.trim()).ok).toBe(true);
  }, 180_000);
});
