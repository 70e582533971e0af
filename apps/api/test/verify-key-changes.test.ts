import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeyChangeBroadcaster, RedisKeyChanges } from '../src/verify/redis-key-changes.js';
import { percentile } from './multi-process-cluster.js';

/**
 * Key changes over Redis pub/sub between two "processes" (separate connections, separate
 * RedisKeyChanges): delivery, organization-wide changes, own messages, resync after a
 * reconnect, and the propagation latency (publish → the other side's listener ran), printed.
 */
const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl)
  console.warn(
    'verify-key-changes: skipped: TEST_REDIS_URL is not set (source .ci/lib.sh && ks_start_redis)',
  );

const log = pino({ level: 'silent' });
const connections: Redis[] = [];
const channel = `kc${randomBytes(4).toString('hex')}:key-changes`;

function node(name: string) {
  const publisher = new Redis(redisUrl ?? '', { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl ?? '', {
    connectionName: `${channel}-${name}`,
    maxRetriesPerRequest: null,
  });
  connections.push(publisher, subscriber);
  const resyncs: number[] = [];
  const changes = new RedisKeyChanges(publisher, subscriber, {
    channel,
    log,
    onResync: () => resyncs.push(performance.now()),
  });
  return { changes, resyncs, publisher, subscriber };
}

async function ready(r: Redis) {
  if (r.status !== 'ready') await new Promise((resolve) => r.once('ready', resolve));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!redisUrl)('RedisKeyChanges (real redis-server; skipped without TEST_REDIS_URL)', () => {
  const a = node('a');
  const b = node('b');

  afterAll(async () => {
    await a.changes.close();
    await b.changes.close();
    const others = connections.filter((c) => c !== a.subscriber && c !== b.subscriber);
    await Promise.all(others.map((c) => c.quit().catch(() => c.disconnect())));
  });

  it('delivers key and organization changes to the other process, and each change once locally', async () => {
    await Promise.all([ready(a.publisher), ready(b.publisher)]);
    await Promise.all([a.changes.start(), b.changes.start()]);
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.changes.subscribe((o, k) => seenA.push(`${o}/${k}`));
    b.changes.subscribe((o, k) => seenB.push(`${o}/${k}`));
    b.changes.subscribeOrganization((o) => seenB.push(`${o}/*`));
    a.changes.publish('org_1', 'key_1');
    expect(seenA).toEqual(['org_1/key_1']); // synchronously, before any network round trip
    a.changes.publishOrganization('org_2');
    for (let i = 0; i < 100 && seenB.length < 2; i++) await sleep(5);
    expect(seenB).toEqual(['org_1/key_1', 'org_2/*']);
    await sleep(30);
    expect(seenA).toEqual(['org_1/key_1']); // its own broadcast is not delivered twice
  });

  it('propagation p99: publish on A → listener done on B, 2,000 changes', async () => {
    const sent = new Map<string, number>();
    const latencies: number[] = [];
    const off = b.changes.subscribe((_o, k) => {
      const t = sent.get(k);
      if (t !== undefined) latencies.push(performance.now() - t);
    });
    for (let i = 0; i < 2000; i++) {
      const id = `key_${i}`;
      sent.set(id, performance.now());
      a.changes.publish('org_p', id);
      if (i % 20 === 19) await sleep(1); // ~20 changes per ms burst, then yield
    }
    for (let i = 0; i < 400 && latencies.length < 2000; i++) await sleep(5);
    off();
    expect(latencies).toHaveLength(2000);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.info(
      `[key-changes] propagation over Redis pub/sub (2,000 changes): p50 ${p50.toFixed(2)} ms, ` +
        `p99 ${p99.toFixed(2)} ms, max ${Math.max(...latencies).toFixed(2)} ms`,
    );
    expect(p99).toBeLessThan(1000);
  });

  it('a short-lived tool (the CLI) broadcasts its changes to the running processes', async () => {
    const seen: string[] = [];
    const off = b.changes.subscribe((o, k) => seen.push(`${o}/${k}`));
    const cli = openKeyChangeBroadcaster({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: channel.split(':')[0] ?? '',
    });
    cli.changes.publish('org_cli', 'key_cli');
    expect(await cli.close()).toEqual({ failed: 0 });
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(5);
    off();
    expect(seen).toEqual(['org_cli/key_cli']);
    const unreachable = openKeyChangeBroadcaster({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'x' });
    unreachable.changes.publish('org_cli', 'key_cli');
    expect(await unreachable.close()).toEqual({ failed: 1 });
  });

  it('drops every cached key after the subscription reconnects (changes may have been missed)', async () => {
    const admin = new Redis(redisUrl ?? '');
    connections.push(admin);
    const list = (await admin.client('LIST')) as string;
    const id = /id=(\d+) [^\n]*name=([^ ]+)/g;
    let target: string | undefined;
    for (const m of list.matchAll(id)) if (m[2] === `${channel}-b`) target = m[1];
    expect(target).toBeDefined();
    const before = b.resyncs.length;
    await admin.client('KILL', 'ID', target ?? '');
    for (let i = 0; i < 200 && b.resyncs.length === before; i++) await sleep(10);
    expect(b.resyncs.length).toBe(before + 1);
    // And it is subscribed again.
    const seen: string[] = [];
    b.changes.subscribe((_o, k) => seen.push(k));
    a.changes.publish('org_r', 'key_after');
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(5);
    expect(seen).toEqual(['key_after']);
  });
});
