import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BatchConnection } from '../db/batch-connection.js';
import { connectionConfigOf, type Orm } from '../db/orm.js';
import type { TEnv } from '../env.js';
import type { Metrics } from '../metrics.js';
import { InProcessKeyChanges } from '../modules/api-key/key-changes.js';
import type { Counters, IpBlockPolicy } from './counters.js';
import { FailoverCounters } from './failover-counters.js';
import { KeyCache } from './key-cache.js';
import { KeyChangePoller } from './key-change-poller.js';
import { MemoryCounters } from './memory-counters.js';
import { PgQuotaCounter } from './pg-quota-counter.js';
import { Verifier } from './pipeline.js';
import type { SecurityObserver } from './ports.js';
import { attachErrorLog, closeRedis, createRedisConnection, whenReady } from './redis-client.js';
import { RedisCounters } from './redis-counters.js';
import { RedisKeyChanges } from './redis-key-changes.js';
import { RequestLogWriter } from './request-log-writer.js';
import { UsageStore } from './usage-store.js';

/** Everything the hot path holds, with one loop that flushes batched writes. */
export interface Verification {
  verifier: Verifier;
  keys: KeyCache;
  counters: Counters;
  usage: UsageStore;
  logs: RequestLogWriter;
  /** Security events from what the hot path saw (new IPs, quota exhaustion, IP blocks), written off it. */
  security: SecurityObserver;
  /**
   * Key changes: delivered to this process's cache and, with REDIS_URL, to every API process.
   * Services publish here after their transaction commits.
   */
  changes: InProcessKeyChanges;
  /** The command connection when REDIS_URL is set. */
  redis: Redis | null;
  /** Waits (briefly) for Redis and the change subscription; the fallbacks serve if Redis is not there. */
  ready(): Promise<void>;
  /** Writes all buffered logs and usage now. */
  flush(): Promise<void>;
  /** Stops the loop after a final flush (graceful shutdown: nothing admitted is lost), then closes Redis. */
  close(): Promise<void>;
}

/** What the hot path is given rather than building itself (the seams of `ports.ts`). */
export interface VerificationSeams {
  /** The security log's observer, made with the configured IP-block policy. */
  security: (ipPolicy: IpBlockPolicy) => SecurityObserver;
  /** Counters to use instead of the configured ones (tests). */
  counters?: Counters;
}

export function createVerification(
  env: TEnv,
  orm: Orm,
  log: Logger,
  metrics: Metrics,
  seams: VerificationSeams,
): Verification {
  const counters = seams.counters;
  // The hot path's batch writes, on a connection of their own (db/batch-connection.ts).
  const batch = new BatchConnection(connectionConfigOf(orm));
  const usage = new UsageStore(orm, batch);
  const keys = new KeyCache(orm, {
    positiveTtlMs: env.KEY_CACHE_TTL_SECONDS * 1000,
    negativeTtlMs: 5000,
    maxEntries: 100_000,
  });
  const ipPolicy: IpBlockPolicy = {
    maxFailures: env.IP_BLOCK_MAX_FAILURES,
    failureWindowMs: env.IP_BLOCK_WINDOW_MINUTES * 60_000,
    blockMs: env.IP_BLOCK_MINUTES * 60_000,
  };
  const memory = () => new MemoryCounters((keyId, now) => usage.loadWithPending(keyId, now), ipPolicy);

  let redis: Redis | null = null;
  let subscriber: Redis | null = null;
  let changes: InProcessKeyChanges;
  let chosen: Counters;
  if (env.REDIS_URL) {
    redis = createRedisConnection(
      env.REDIS_URL,
      { commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS, connectionName: 'keysmith-counters' },
      log,
    );
    // Subscriber mode: waits for the connection (queues), retries for ever, no command timeout.
    subscriber = redis.duplicate({
      connectionName: 'keysmith-key-changes',
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: undefined,
      enableAutoPipelining: false,
    });
    attachErrorLog(subscriber, log, 'keysmith-key-changes');
    changes = new RedisKeyChanges(redis, subscriber, {
      channel: `${env.REDIS_KEY_PREFIX}:key-changes`,
      log,
      onResync: () => keys.clear(),
    });
    chosen =
      counters ??
      new FailoverCounters({
        primary: new RedisCounters(redis, {
          prefix: env.REDIS_KEY_PREFIX,
          ipPolicy,
          loadUsage: (keyId, now) => usage.loadWithPending(keyId, now),
          ipStatusCacheMs: 500,
        }),
        local: memory(),
        pgQuota: new PgQuotaCounter(orm, usage),
        log,
        graceMs: env.FLUSH_PERIOD_MS + 500,
        probeIntervalMs: 250,
      });
  } else {
    changes = new InProcessKeyChanges();
    chosen = counters ?? memory();
  }
  // A change drops the cached record at once; the next request reloads it from the database.
  changes.subscribe((_organizationId, keyId) => keys.invalidate(keyId));
  changes.subscribeOrganization((organizationId) => keys.invalidateOrganization(organizationId));
  // Changes made by other processes also arrive through the database's change log, within
  // KEY_CHANGE_POLL_MS: the path that holds when Redis is down or absent (§2.2).
  const poller = new KeyChangePoller(
    orm,
    {
      key: (_organizationId, keyId) => keys.invalidate(keyId),
      organization: (organizationId) => keys.invalidateOrganization(organizationId),
    },
    log,
    env.KEY_CHANGE_POLL_MS,
  );

  const security = seams.security(ipPolicy);
  const logs = new RequestLogWriter(orm, log, {
    batch,
    flushAt: 5000,
    maxBuffered: env.REQUEST_LOG_BUFFER_MAX,
    onWritten: (rows) => security.observe(rows),
    metrics,
  });
  const usageSetAside = metrics.counter(
    'keysmith_usage_keys_set_aside_total',
    'Keys whose usage credits the database refused on their own (bad data); not retried',
  );
  const verifier = new Verifier({
    keys,
    counters: chosen,
    usage,
    events: {
      authFailed: (failure) => security.authFailed(failure),
      quotaExceeded: ({ key, window, ip, now }) =>
        security.quotaExceeded({
          organizationId: key.organizationId,
          keyId: key.id,
          keyName: key.name,
          window,
          limit: key.quotas[window] ?? null,
          ip,
          at: now,
        }),
    },
  });

  // Each writer keeps what it could not write and logs its own failures (bounded, throttled).
  const flush = async () => {
    const [, credits] = await Promise.allSettled([logs.flush(), usage.flush()]);
    if (credits.status === 'fulfilled' && credits.value > 0) {
      usageSetAside.inc(credits.value);
      log.error({ keys: credits.value }, 'usage credits refused by the database were set aside');
    }
    // After the logs: new-IP detection reads the rows just written.
    await security.flush().catch(() => undefined);
  };
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = flush().finally(() => {
      running = null;
    });
  }, env.FLUSH_PERIOD_MS);
  timer.unref();

  return {
    verifier,
    keys,
    counters: chosen,
    usage,
    logs,
    security,
    changes,
    redis,
    async ready() {
      await poller.start();
      if (!redis || !(changes instanceof RedisKeyChanges)) return;
      const up = await whenReady(redis, 5000);
      if (!up) log.warn('Redis not reachable at start; serving from the fallbacks until it is');
      // Subscribe in the background when Redis is down: the subscription connects when it can.
      const subscribed = changes.start().catch((error: unknown) => {
        log.warn({ err: error }, 'key-change subscription failed; caches rely on their TTL');
      });
      if (up) await subscribed;
    },
    flush,
    async close() {
      clearInterval(timer);
      await poller.stop();
      await running;
      await flush();
      await chosen.close();
      await changes.close();
      await batch.close();
      if (redis) await closeRedis(redis);
    },
  };
}
