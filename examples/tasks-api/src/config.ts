/** The example's settings, from the environment (the only file that reads it). */
export interface ExampleConfig {
  /** Where Keysmith runs, e.g. http://localhost:3000. */
  keysmithUrl: string;
  /** A key with `keys:verify` (the bootstrap root key works; `create-keys` makes a narrower one). */
  rootKey: string;
  /** First of four consecutive ports: Fastify, Express, Hono, fetch (0: any free ports). */
  port: number;
  host: string;
}

export const HOW_TO_GET_A_ROOT_KEY = `Set KEYSMITH_URL and KEYSMITH_ROOT_KEY, for example (from the repository root):

  # 1. The first owner, an organization and a root key (printed once), in a scratch data
  #    directory. Before the server starts: the embedded database serves one process at a time.
  DATA_DIR=/tmp/keysmith-demo pnpm keysmith bootstrap --org Demo --email you@example.com --password 'correct horse battery'

  # 2. Keysmith on that data (leave it running):
  pnpm --filter @keysmith/api build
  DATA_DIR=/tmp/keysmith-demo PORT=3000 node apps/api/dist/main.js

  # 3. In another terminal, the example with the root key:
  KEYSMITH_URL=http://localhost:3000 KEYSMITH_ROOT_KEY=sk_live_… pnpm --filter @keysmith/example-tasks start
`;

/** Reads the settings; lists every problem rather than stopping at the first. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ExampleConfig | { problems: string[] } {
  const problems: string[] = [];
  const keysmithUrl = env.KEYSMITH_URL ?? '';
  const rootKey = env.KEYSMITH_ROOT_KEY ?? '';
  const port = Number(env.PORT ?? 4000);
  if (keysmithUrl === '') problems.push('KEYSMITH_URL is not set');
  if (rootKey === '') problems.push('KEYSMITH_ROOT_KEY is not set');
  if (!Number.isInteger(port) || port < 0 || port > 65532)
    problems.push('PORT must be a port number (0–65532)');
  if (problems.length > 0) return { problems };
  return { keysmithUrl, rootKey, port, host: env.HOST ?? '127.0.0.1' };
}
