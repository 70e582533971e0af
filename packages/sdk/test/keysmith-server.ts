/**
 * A real Keysmith for the SDK's tests: the API's own test harness (fresh PGlite database,
 * real HTTP on a free port), one organization on the enterprise plan (the highest
 * account-wide rate caps, so a test run never trips them by accident) with a space whose
 * catalog has seed 002's `tasks:read` and `tasks:write`, and a root key holding every
 * `keys:*` scope. One per test file.
 */
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../../../apps/api/test/harness.js';
import { createOrgFixture } from '../../../apps/api/test/key-fixtures.js';
import { Keysmith } from '../src/client.js';
import type { CreateApiKeyRequest, CreatedApiKey } from '../src/generated/openapi.js';

export interface KeysmithServer {
  app: TestApp;
  /** Origin of the running API, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** A key with keys:verify, keys:read, keys:write and keys:delete, and tasks:read / tasks:write to grant (§4). */
  rootKey: string;
  /** A client authenticated with the root key. */
  client: Keysmith;
  /** Requests that reached Keysmith, per path (query stripped), since start. */
  requests: Map<string, number>;
  /** Issues a consumer key in the tasks space (names are made unique). */
  createKey(input?: Partial<CreateApiKeyRequest>): Promise<CreatedApiKey>;
  /** Stops the API (its port then refuses connections) and drops the database. Idempotent. */
  stop(): Promise<void>;
}

let names = 0;

export async function startKeysmith(env: Record<string, string> = {}): Promise<KeysmithServer> {
  const app = await createTestApp({ KEY_MAINTENANCE_PERIOD_MS: '60000', LOG_LEVEL: 'warn', ...env });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  const requests = new Map<string, number>();
  app.server.server.on('request', (request: { url?: string }) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
  });

  const fixture = await createOrgFixture(app, { plan: 'enterprise', scopes: ['tasks:read', 'tasks:write'] });
  const owner = await app.caller(fixture.owner.cookie);
  const root = await owner.key.create({
    orgId: fixture.orgId,
    spaceId: fixture.spaceId,
    name: 'SDK test root key',
    // A key grants only scopes it holds itself (§4): it issues the tasks keys, so it holds them.
    scopes: ['keys:verify', 'keys:read', 'keys:write', 'keys:delete', 'tasks:read', 'tasks:write'],
  });
  const client = new Keysmith({ baseUrl, rootKey: root.key });

  let stopped = false;
  return {
    app,
    baseUrl,
    rootKey: root.key,
    client,
    requests,
    createKey: (input = {}) => {
      names += 1;
      return client.apiKeys.create({ name: `consumer ${names} ${Date.now().toString(36)}`, ...input });
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.shutdown();
    },
  };
}

/** Number of `POST /v1/keys/verify` calls that reached Keysmith so far. */
export function verifyCalls(server: KeysmithServer): number {
  return server.requests.get('/v1/keys/verify') ?? 0;
}
