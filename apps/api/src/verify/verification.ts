import type { Logger } from 'pino';
import type { Orm } from '../db/orm.js';
import type { TEnv } from '../env.js';
import type { Counters } from './counters.js';
import { KeyCache } from './key-cache.js';
import { MemoryCounters } from './memory-counters.js';
import { Verifier } from './pipeline.js';
import { RequestLogWriter } from './request-log-writer.js';
import { UsageStore } from './usage-store.js';

/** Everything the hot path holds, with one loop that flushes batched writes. */
export interface Verification {
  verifier: Verifier;
  keys: KeyCache;
  counters: Counters;
  usage: UsageStore;
  logs: RequestLogWriter;
  /** Writes all buffered logs and usage now. */
  flush(): Promise<void>;
  /** Stops the loop after a final flush (graceful shutdown: nothing admitted is lost). */
  close(): Promise<void>;
}

export function createVerification(env: TEnv, orm: Orm, log: Logger, counters?: Counters): Verification {
  const usage = new UsageStore(orm);
  const keys = new KeyCache(orm, {
    positiveTtlMs: env.KEY_CACHE_TTL_SECONDS * 1000,
    negativeTtlMs: 5000,
    maxEntries: 100_000,
  });
  const chosen =
    counters ??
    new MemoryCounters((keyId, now) => usage.load(keyId, now), {
      maxFailures: env.IP_BLOCK_MAX_FAILURES,
      failureWindowMs: env.IP_BLOCK_WINDOW_MINUTES * 60_000,
      blockMs: env.IP_BLOCK_MINUTES * 60_000,
    });
  const logs = new RequestLogWriter(orm, log);
  const verifier = new Verifier({ keys, counters: chosen, usage });

  const flush = async () => {
    const results = await Promise.allSettled([logs.flush(), usage.flush()]);
    for (const r of results)
      if (r.status === 'rejected') log.error({ err: r.reason }, 'batched write failed; will retry');
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
    flush,
    async close() {
      clearInterval(timer);
      await running;
      await flush();
      await chosen.close();
    },
  };
}
