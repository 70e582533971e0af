/**
 * `pnpm --filter @keysmith/example-tasks start`: the tasks API behind each middleware, on
 * four ports, verifying keys against the Keysmith at KEYSMITH_URL.
 */
import { Keysmith } from '@keysmith/sdk';
import { HOW_TO_GET_A_ROOT_KEY, readConfig } from './config.js';
import { startExampleServers } from './servers.js';

const config = readConfig();
if ('problems' in config) {
  process.stderr.write(`${config.problems.join('\n')}\n\n${HOW_TO_GET_A_ROOT_KEY}`);
  process.exit(2);
}

const keysmith = new Keysmith({ baseUrl: config.keysmithUrl, rootKey: config.rootKey });
const servers = await startExampleServers(keysmith, config.port, config.host);
const first = servers[0]?.url ?? '';
process.stdout.write(
  [
    `Tasks API protected by Keysmith at ${keysmith.baseUrl}:`,
    ...servers.map((s) => `  ${s.name.padEnd(8)} ${s.url}`),
    '',
    'Try (keys from `pnpm --filter @keysmith/example-tasks create-keys`):',
    `  curl ${first}/tasks                                   # 401 Missing API Key`,
    `  curl -H "Authorization: Bearer $READER_KEY" ${first}/tasks`,
    `  curl -H "X-API-Key: $WRITER_KEY" -H 'content-type: application/json' -d '{"title":"Ship it"}' ${first}/tasks`,
    `  curl -H "X-API-Key: $READER_KEY" -H 'content-type: application/json' -d '{"title":"Nope"}' ${first}/tasks   # 403`,
    '',
  ].join('\n'),
);

async function shutdown(): Promise<void> {
  await Promise.all(servers.map((s) => s.close()));
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
