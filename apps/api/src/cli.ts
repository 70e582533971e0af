import { parseArgs } from 'node:util';
import { openOrmFromEnv } from './app.js';
import { migrate } from './db/orm.js';
import { EnvError, loadEnv } from './env.js';

const USAGE = `Usage: pnpm keysmith <command> [options]

Commands:
  migrate                 apply pending database migrations
`;

/** `pnpm keysmith …`: operational commands. Exit codes: 0 ok, 1 failure, 2 usage or configuration error. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const env = loadEnv();
  switch (command) {
    case 'migrate': {
      parseArgs({ args: rest, options: {}, strict: true });
      const orm = await openOrmFromEnv(env);
      try {
        const applied = await migrate(orm);
        process.stdout.write(
          applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n',
        );
      } finally {
        await orm.close();
      }
      return 0;
    }
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
