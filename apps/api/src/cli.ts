import { parseArgs } from 'node:util';
import { ADMIN_SCOPE, avatarColorFor, normalizeScopeCatalog, parseApiKey } from '@keysmith/domain';
import { openOrmFromEnv } from './app.js';
import type { Principal } from './auth/principal.js';
import type { ServiceContext } from './auth/service-context.js';
import { newId } from './db/ids.js';
import { migrate, type Orm } from './db/orm.js';
import { EnvError, loadEnv } from './env.js';
import { AppError } from './errors.js';
import { ZCreateKeySchema } from './modules/api-key/api-key.schemas.js';
import { createKey } from './modules/api-key/create-key.js';
import { revokeKey } from './modules/api-key/revoke-key.js';
import { Organization } from './modules/organization/organization.entity.js';
import { createOrganization } from './modules/organization/organization.service.js';
import { Space } from './modules/space/space.entity.js';
import { User } from './modules/user/user.entity.js';
import { ZSignUpSchema } from './modules/user/user.schemas.js';
import { signUp } from './modules/user/user.service.js';
import { openKeyChangeBroadcaster } from './verify/redis-key-changes.js';

const USAGE = `Usage: pnpm keysmith <command> [options]

Commands:
  migrate
      Apply pending database migrations.
  bootstrap --org NAME --email EMAIL --password PASS [--name DISPLAY_NAME]
      First start: create the owner, an organization on the team plan, a "default" space
      and a root key with admin:* (printed once). Refused when any user exists.
  create-key --org SLUG --name NAME [--space SLUG] [--env live|test] [--category C]
             [--scopes a:b,c:d] [--expires ISO-8601] [--ip-allowlist IP,CIDR] [--daily N]
             [--monthly N] [--json]
      Issue a key; prints the key (shown once) or, with --json, the key and its record.
      The space's key policy applies (e.g. an expiry within N days, an allowlist for live keys).
  revoke-key --org SLUG (--id key_… | --key FULL_KEY)
      Revoke a key permanently.

Exit codes: 0 success, 1 refused or failed, 2 usage or configuration error.
`;

class UsageError extends Error {}

const CLI_PRINCIPAL: Principal = { kind: 'system', label: 'cli', ip: null };

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`Missing --${name}`);
  return value;
}

function optionalInt(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const value = values[name];
  if (value === undefined || typeof value === 'boolean') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number`);
  return n;
}

async function withOrm<T>(fn: (orm: Orm) => Promise<T>): Promise<T> {
  const orm = await openOrmFromEnv(loadEnv());
  try {
    await migrate(orm);
    return await fn(orm);
  } finally {
    await orm.close();
  }
}

async function findOrg(orm: Orm, slug: string): Promise<Organization> {
  const org = await orm.em.fork().findOne(Organization, { slug });
  if (!org) throw new AppError('NOT_FOUND', `No organization with slug "${slug}"`);
  return org;
}

function serviceContext(orm: Orm, organizationId: string): ServiceContext {
  return { em: orm.em.fork(), organizationId, principal: CLI_PRINCIPAL, now: new Date() };
}

async function bootstrap(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  });
  const orgName = required(values, 'org');
  const credentials = ZSignUpSchema.safeParse({
    email: required(values, 'email'),
    password: required(values, 'password'),
    displayName: values.name ?? 'Owner',
  });
  if (!credentials.success) {
    throw new UsageError(
      credentials.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'),
    );
  }
  return withOrm(async (orm) => {
    const em = orm.em.fork();
    if ((await em.count(User, {})) > 0) {
      throw new AppError(
        'CONFLICT',
        'Refusing to bootstrap: users already exist. Sign in to the admin instead.',
      );
    }
    const user = await signUp(em, credentials.data);
    const audit = { type: 'user' as const, id: user.id, label: user.email, ip: null };
    const org = await createOrganization(em, user.id, { name: orgName }, audit);
    await em.nativeUpdate(Organization, { id: org.id }, { plan: 'team' });
    const space = em.create(Space, {
      id: newId('spc'),
      organization: org.id,
      name: 'default',
      slug: 'default',
      logoColor: avatarColorFor('default'),
      logoUrl: null,
      scopeCatalog: normalizeScopeCatalog([ADMIN_SCOPE]),
    });
    await em.flush();
    const created = await createKey(
      {
        ...serviceContext(orm, org.id),
        principal: {
          kind: 'user',
          userId: user.id,
          label: user.email,
          ip: null,
          actor: { userId: user.id, orgRole: 'owner', spaceRoles: new Map() },
        },
      },
      ZCreateKeySchema.parse({ spaceId: space.id, name: 'Root key', scopes: [ADMIN_SCOPE] }),
    );
    process.stdout.write(
      [
        `Owner:        ${user.email}`,
        `Organization: ${org.name} (${org.slug}, team plan)`,
        'Space:        default',
        `Root key:     ${created.key}`,
        '',
        'The root key holds admin:* and is shown only this once: store it in your secret manager now.',
        '',
      ].join('\n'),
    );
    return 0;
  });
}

async function createKeyCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' },
      space: { type: 'string' },
      name: { type: 'string' },
      env: { type: 'string' },
      category: { type: 'string' },
      scopes: { type: 'string' },
      expires: { type: 'string' },
      'ip-allowlist': { type: 'string' },
      daily: { type: 'string' },
      monthly: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const orgSlug = required(values, 'org');
  const daily = optionalInt(values, 'daily');
  const monthly = optionalInt(values, 'monthly');
  return withOrm(async (orm) => {
    const org = await findOrg(orm, orgSlug);
    const spaceSlug = values.space ?? 'default';
    const space = await orm.em.fork().findOne(Space, { organization: org.id, slug: spaceSlug });
    if (!space) throw new AppError('NOT_FOUND', `No space "${spaceSlug}" in ${org.slug}`);
    const input = ZCreateKeySchema.safeParse({
      spaceId: space.id,
      name: required(values, 'name'),
      environment: values.env,
      category: values.category,
      scopes: values.scopes ? values.scopes.split(',').map((s) => s.trim()) : [],
      expiresAt: values.expires,
      ipAllowlist: values['ip-allowlist'] ? values['ip-allowlist'].split(',').map((s) => s.trim()) : [],
      quotas: { ...(daily ? { daily } : {}), ...(monthly ? { monthly } : {}) },
    });
    if (!input.success) {
      throw new UsageError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    }
    const created = await createKey(serviceContext(orm, org.id), input.data);
    process.stdout.write(values.json ? `${JSON.stringify(created, null, 2)}\n` : `${created.key}\n`);
    return 0;
  });
}

async function revokeKeyCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, id: { type: 'string' }, key: { type: 'string' } },
    strict: true,
  });
  const orgSlug = required(values, 'org');
  let keyId = values.id;
  if (values.key) {
    const parsed = parseApiKey(values.key.trim());
    if (!parsed.ok) throw new UsageError('--key is not a valid Keysmith key');
    keyId = parsed.key.keyId;
  }
  if (!keyId) throw new UsageError('Give --id key_… or --key FULL_KEY');
  const id = keyId;
  return withOrm(async (orm) => {
    const org = await findOrg(orm, orgSlug);
    // With REDIS_URL, running API processes drop their cached copy at once.
    const broadcast = openKeyChangeBroadcaster(loadEnv());
    try {
      const revoked = await revokeKey(serviceContext(orm, org.id), broadcast.changes, id);
      process.stdout.write(`Revoked ${revoked.id} (${revoked.name}) at ${revoked.revokedAt}\n`);
    } finally {
      const { failed } = await broadcast.close();
      if (failed > 0) {
        process.stderr.write(
          'warning: could not reach Redis; running API processes see the revocation when their cache expires (KEY_CACHE_TTL_SECONDS)\n',
        );
      }
    }
    return 0;
  });
}

async function migrateCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const orm = await openOrmFromEnv(loadEnv());
  try {
    const applied = await migrate(orm);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
  } finally {
    await orm.close();
  }
  return 0;
}

/** The option that sets each service input field, so a refusal names what to change on the command line. */
const FLAG_OF_FIELD: Record<string, string> = {
  name: '--name',
  spaceId: '--space',
  environment: '--env',
  category: '--category',
  scopes: '--scopes',
  expiresAt: '--expires',
  ipAllowlist: '--ip-allowlist',
  'quotas.daily': '--daily',
  'quotas.monthly': '--monthly',
};

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  migrate: migrateCommand,
  bootstrap,
  'create-key': createKeyCommand,
  'revoke-key': revokeKeyCommand,
};

/** `pnpm keysmith …`: operational commands. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  return run(rest);
}

/** Reports a failure on stderr and gives its exit code (2: usage, 1: anything else). */
function failure(error: unknown): number {
  if (error instanceof EnvError || error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (error instanceof AppError) {
    const fields = error.fields
      ? ` (${Object.entries(error.fields)
          .map(([f, m]) => `${FLAG_OF_FIELD[f] ?? f}: ${m}`)
          .join('; ')})`
      : '';
    process.stderr.write(`Error: ${error.message}${fields}\n`);
    return 1;
  }
  if (error instanceof TypeError && /parseArgs|Unknown option|argument/i.test(error.message)) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

// The CLI's exit codes are its contract with scripts (0 done, 1 failed, 2 usage error): this is
// the one place that ends the process (a pool or timer left open must not keep it running), and
// cli.test.ts runs the CLI and asserts the codes.
main(process.argv.slice(2))
  .catch(failure)
  .then((code) => process.exit(code));
