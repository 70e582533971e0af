/**
 * §11 across a cluster: a signed leak report handled by process A stops the key on process B
 * within 1 s (B had it cached), through the same key-change announcement as an admin's revoke.
 * Two real API processes sharing PostgreSQL and Redis; needs TEST_DATABASE_URL and TEST_REDIS_URL.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture } from './key-fixtures.js';
import {
  type ApiProcess,
  clusterSkipReason,
  percentile,
  redisUrlWithDb,
  startApiProcess,
  stopAllApiProcesses,
} from './multi-process-cluster.js';

const redisBase = process.env.TEST_REDIS_URL;
const skipReason = clusterSkipReason('leaks-multiprocess', { redis: true });

/** Database 8 of the test Redis is this file's (flushed below). */
const REDIS_DB = 8;
const KEY_ID = 'leak-test-key-1';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

let app: TestApp;
let redis: Redis;
let dir: string;
let a: ApiProcess;
let b: ApiProcess;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function code(proc: ApiProcess, key: string): Promise<string> {
  const res = await fetch(`${proc.url}/v1/rate-limit`, { headers: { authorization: `Bearer ${key}` } });
  return res.status === 200 ? 'VALID' : (((await res.json()) as { code?: string }).code ?? '?');
}

/** A leak report of `key`, signed as GitHub signs it, to one process. */
function report(proc: ApiProcess, key: string, url: string): Promise<Response> {
  const body = JSON.stringify([{ token: key, type: 'keysmith_api_key', url, source: 'content' }]);
  return fetch(`${proc.url}/v1/leaks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'Github-Public-Key-Identifier': KEY_ID,
      'Github-Public-Key-Signature': sign('sha256', Buffer.from(body), privateKey).toString('base64'),
    },
    body,
  });
}

describe.skipIf(skipReason !== null)('a leak reported to one process, on another', () => {
  beforeAll(async () => {
    app = await createTestApp({ KEY_MAINTENANCE_PERIOD_MS: '60000' });
    redis = new Redis(redisUrlWithDb(redisBase ?? '', REDIS_DB));
    await redis.flushdb();
    dir = mkdtempSync(path.join(tmpdir(), 'ks-leak-mp-'));
    const keysFile = path.join(dir, 'keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify({
        public_keys: [{ key_identifier: KEY_ID, key: publicKey.export({ type: 'spki', format: 'pem' }) }],
      }),
    );
    const env = {
      DATABASE_URL: app.db.url ?? '',
      REDIS_URL: redisUrlWithDb(redisBase ?? '', REDIS_DB),
      REDIS_KEY_PREFIX: `lk${randomBytes(3).toString('hex')}`,
      LEAK_SCANNER_PUBLIC_KEYS: keysFile,
    };
    [a, b] = await Promise.all([startApiProcess('A', env), startApiProcess('B', env)]);
  }, 120_000);

  afterAll(async () => {
    await stopAllApiProcesses();
    await redis?.quit();
    await app?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a signed report on A refuses the key on B within 1 s', async () => {
    const fx = await createOrgFixture(app, { plan: 'enterprise' });
    const c = await app.caller(fx.owner.cookie);
    // One report before measuring: the first request after a start runs cold code paths
    // (~0.5 s more on a loaded 2-core machine); the guarantee is about a running cluster.
    const warm = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'leak-warm-up' });
    expect((await report(a, warm.key, 'https://example.com/warm-up')).status).toBe(200);
    const latencies: number[] = [];
    const answeredAfter: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { key } = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: `leak-${i}` });
      expect(await code(b, key)).toBe('VALID'); // B caches the key
      const sent = performance.now();
      const res = await report(a, key, `https://github.com/o/r/blob/x/${i}`);
      expect(res.status).toBe(200);
      answeredAfter.push(performance.now() - sent);
      expect(await res.json()).toEqual([
        { token_raw: key, token_type: 'keysmith_api_key', label: 'true_positive' },
      ]);
      let seen: number | null = null;
      while (performance.now() - sent < 3000) {
        const answer = await code(b, key);
        if (answer === 'REVOKED') {
          seen = performance.now();
          break;
        }
        expect(answer).toBe('VALID');
        await sleep(20);
      }
      expect(seen).not.toBeNull();
      latencies.push((seen ?? 0) - sent);
    }
    console.info(
      `[leaks-multiprocess] leak report on A → key refused on B (polling every 20 ms): ` +
        `${latencies.map((l) => l.toFixed(1)).join(', ')} ms; p50 ${percentile(latencies, 50).toFixed(1)}, ` +
        `max ${Math.max(...latencies).toFixed(1)} ms; A answered the report after ` +
        `${answeredAfter.map((l) => l.toFixed(1)).join(', ')} ms`,
    );
    expect(Math.max(...latencies)).toBeLessThan(1000);
  }, 60_000);
});
