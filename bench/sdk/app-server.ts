/**
 * The API provider's server of benchmark (g), a separate process: one Fastify route per
 * seeded organization, `GET /o{i}/orders`, either bare (`plain`) or behind the SDK's Fastify
 * plugin with that organization's `keys:verify` key (`protected`: each organization's routes
 * are an encapsulated context registering the plugin with its own client, the way one
 * Fastify app can serve several tenants). Reads its job from the JSON file in argv[2] and
 * prints `listening <port>`.
 */
import { readFileSync } from 'node:fs';
import { Keysmith } from '@keysmith/sdk';
import { keysmithFastify } from '@keysmith/sdk/fastify';
import Fastify from 'fastify';

export interface AppServerJob {
  mode: 'plain' | 'protected';
  port: number;
  keysmithUrl: string;
  /** The `keys:verify` key of each organization, in route order. */
  callerKeys: string[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: app-server.ts <job.json>');
const job = JSON.parse(readFileSync(file, 'utf8')) as AppServerJob;

const app = Fastify({ logger: false });
const orders = { data: [{ id: 'ord_1', total: 4200, currency: 'EUR' }] };

job.callerKeys.forEach((rootKey, index) => {
  void app.register(
    async (scope) => {
      if (job.mode === 'protected') {
        await scope.register(keysmithFastify, {
          client: new Keysmith({ baseUrl: job.keysmithUrl, rootKey }),
          scopes: ['orders:read'],
        });
      }
      scope.get('/orders', async (request) => ({ ...orders, key: request.keysmith?.key_id ?? null }));
    },
    { prefix: `/o${index}` },
  );
});

await app.listen({ port: job.port, host: '127.0.0.1' });
process.stdout.write(`listening ${job.port}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
