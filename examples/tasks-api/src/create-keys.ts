/**
 * `pnpm --filter @keysmith/example-tasks create-keys`: with KEYSMITH_ROOT_KEY (the bootstrap
 * root key, `admin:*`), issues the keys the example needs through the SDK's client: a
 * verify-only key for the example's backend and two consumer keys, one that may read tasks
 * and one that may also write them. Prints them once, as shell exports.
 */
import { Keysmith, KeysmithError } from '@keysmith/sdk';
import { HOW_TO_GET_A_ROOT_KEY, readConfig } from './config.js';

const config = readConfig();
if ('problems' in config) {
  process.stderr.write(`${config.problems.join('\n')}\n\n${HOW_TO_GET_A_ROOT_KEY}`);
  process.exit(2);
}

const keysmith = new Keysmith({ baseUrl: config.keysmithUrl, rootKey: config.rootKey });
const suffix = new Date().toISOString().slice(0, 19);
try {
  const backend = await keysmith.apiKeys.create({
    name: `tasks example backend ${suffix}`,
    description: 'Verifies consumer keys for the tasks example',
    scopes: ['keys:verify'],
  });
  const reader = await keysmith.apiKeys.create({ name: `tasks reader ${suffix}`, scopes: ['tasks:read'] });
  const writer = await keysmith.apiKeys.create({
    name: `tasks writer ${suffix}`,
    scopes: ['tasks:read', 'tasks:write'],
  });
  process.stdout.write(
    [
      '# Shown once: keep them somewhere safe.',
      `export KEYSMITH_ROOT_KEY=${backend.key}   # keys:verify only, for the example's backend`,
      `export READER_KEY=${reader.key}`,
      `export WRITER_KEY=${writer.key}`,
      '',
    ].join('\n'),
  );
} catch (error) {
  if (!(error instanceof KeysmithError)) throw error;
  const fields = error.fields ? ` ${JSON.stringify(error.fields)}` : '';
  process.stderr.write(`Keysmith refused: ${error.status} ${error.code}: ${error.message}${fields}\n`);
  if (error.code === 'FORBIDDEN') {
    process.stderr.write(
      'The key needs keys:write, and tasks:read / tasks:write in its space catalog (the bootstrap root key has admin:*).\n',
    );
  }
  process.exit(1);
}
