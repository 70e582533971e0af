import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisConnectionOptions {
  /** A command without a reply after this long fails (and the caller falls back). */
  commandTimeoutMs: number;
  connectionName: string;
}

/** Raised for any Redis failure (unreachable, timed out, script error): the caller may fall back. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
  constructor(cause: unknown) {
    super(`Redis unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The command connection of the hot path. Fails fast instead of queueing: no offline queue, one
 * retry per request, a small command timeout. A request never waits for Redis to come back;
 * {@link FailoverCounters} answers from its fallbacks meanwhile. Reconnects in the background.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions, log: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: options.connectionName,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(1000, options.commandTimeoutMs * 4),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), 1000),
  });
  attachErrorLog(redis, log, options.connectionName);
  return redis;
}

/** ioredis emits `error` on every failed reconnect; log the first of a streak, not each one. */
export function attachErrorLog(redis: Redis, log: Logger, name: string): void {
  let failing = false;
  redis.on('error', (error: Error) => {
    if (failing) return;
    failing = true;
    log.warn({ err: error, connection: name }, 'Redis connection error; reconnecting in the background');
  });
  redis.on('ready', () => {
    if (failing) log.info({ connection: name }, 'Redis connection restored');
    failing = false;
  });
}

/** Resolves once the connection is ready, or after `timeoutMs` (then the fallbacks serve). */
export function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    redis.once('ready', onReady);
  });
}

/** `QUIT` when connected (lets replies in flight arrive), else drop the socket. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    if (redis.status === 'ready') {
      await redis.quit();
      return;
    }
  } catch {
    // fall through to disconnect
  }
  redis.disconnect(false);
}
