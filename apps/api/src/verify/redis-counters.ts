import { randomBytes } from 'node:crypto';
import {
  QUOTA_WINDOW_NAMES,
  QUOTA_WINDOWS,
  type QuotaStatusByWindow,
  type QuotaWindowName,
  type RateLimitCaps,
  type RateLimitDecision,
  type RateLimitWindowName,
  type RateLimitWindowStatus,
} from '@keysmith/domain';
import type { Redis } from 'ioredis';
import type { Counters, IpBlockPolicy, QuotaCheck, QuotaOutcome, RateCheck } from './counters.js';
import { quotaTag } from './quota-evaluation.js';
import { RedisUnavailableError } from './redis-client.js';
import {
  AUTH_FAILURE_SCRIPT,
  QUOTA_SCRIPT,
  RATE_SCRIPT,
  REPLAY_SCRIPT,
  SYNC_SCRIPT,
} from './redis-scripts.js';
import type { PersistedUsage } from './usage-store.js';

/** Rate-log entries are kept this long past the minute window (out-of-order tolerance). */
const RATE_KEEP_MS = 60_000 + 10_000;
/** An idle key's quota state expires after the longest window (it is re-seeded from PostgreSQL). */
const QUOTA_TTL_MS = 32 * 86_400_000;

export interface RedisCountersOptions {
  /** First segment of every key and channel (`ks` in production). */
  prefix: string;
  ipPolicy: IpBlockPolicy;
  /** A key's persisted usage (PostgreSQL plus this process's unflushed credits), to seed its state. */
  loadUsage: (keyId: string, now: number) => Promise<PersistedUsage>;
  /**
   * How long this process may reuse an IP's block status read from Redis (0 = ask every time).
   * Saves a round trip per request for busy IPs; a block or unblock made by another process is
   * then seen here within this time (blocks made here are seen at once).
   */
  ipStatusCacheMs?: number;
}

const IP_STATUS_CACHE_LIMIT = 50_000;

/** Credits charged in PostgreSQL during an outage, to add to Redis when it is back. */
export interface ReplayEntry {
  organizationId: string;
  keyId: string;
  t: number;
  cost: number;
  /** When the PostgreSQL transaction that charged them had committed (epoch ms). */
  committedAt: number;
}

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

interface RateWindowSeen {
  count: number;
  oldest: number | null;
  free: number;
}

const WINDOW_MS: Record<RateLimitWindowName, number> = { second: 1000, minute: 60_000 };

/**
 * Builds one limiter's decision from what the rate script saw, exactly as the domain's
 * `SlidingWindowLimiter` would (same fields, same tie-breaks), so both counters answer alike.
 */
function limiterDecision(
  caps: RateLimitCaps,
  seen: Record<RateLimitWindowName, RateWindowSeen>,
  now: number,
  taken: 0 | 1,
): RateLimitDecision {
  const admitted = seen.second.count < caps.perSecond && seen.minute.count < caps.perMinute;
  const status = (w: RateLimitWindowName): RateLimitWindowStatus => {
    const limit = w === 'second' ? caps.perSecond : caps.perMinute;
    const count = seen[w].count + taken;
    const oldest = seen[w].oldest ?? (taken === 1 ? now : null);
    return {
      limit,
      remaining: Math.max(0, limit - count),
      resetAt: oldest === null ? now : oldest + WINDOW_MS[w],
    };
  };
  const windows = { second: status('second'), minute: status('minute') };
  let exceeded: RateLimitWindowName | null = null;
  let retryAfterMs = 0;
  if (!admitted) {
    const secondFree = seen.second.count < caps.perSecond ? Number.NEGATIVE_INFINITY : seen.second.free;
    const minuteFree = seen.minute.count < caps.perMinute ? Number.NEGATIVE_INFINITY : seen.minute.free;
    exceeded = minuteFree >= secondFree ? 'minute' : 'second';
    retryAfterMs = Math.max(0, Math.max(secondFree, minuteFree) - now);
  }
  return {
    admitted,
    exceeded,
    limit: windows.minute.limit,
    remaining: windows.minute.remaining,
    resetAt: windows.minute.resetAt,
    retryAfterMs,
    windows,
  };
}

function pick(
  decisions: readonly RateLimitDecision[],
  better: (a: RateLimitDecision, b: RateLimitDecision) => boolean,
): RateLimitDecision {
  let best = decisions[0];
  for (const d of decisions) if (best === undefined || better(d, best)) best = d;
  if (best === undefined) throw new RangeError('no limiter');
  return best;
}

/**
 * Counters shared by every API process through Redis (§8), each check-and-record one Lua
 * script (see redis-scripts.ts):
 * - rate limits: exact sliding logs (sorted sets) of the organization and the key, checked and
 *   recorded together;
 * - quotas: per key, minute and hour buckets with running window sums; a request is charged
 *   in every bucket only if every configured window has room (zero overshoot). A key's state
 *   is seeded from PostgreSQL the first time it is needed (and re-synchronised when its quota
 *   configuration changes), atomically with respect to consumption;
 * - failed attempts and IP blocks, global per IP.
 *
 * Keys: `{prefix}:{orgId}:…` for everything of an organization (the braces are a cluster hash
 * tag: one organization's keys share a slot, so multi-key scripts work on a cluster) and
 * `{prefix}:ip:{ip}:…` for IPs. Every Redis failure is raised as {@link RedisUnavailableError}.
 */
export class RedisCounters implements Counters {
  /** Unique per process: with a counter, makes every rate-log member unique. */
  private readonly instance = randomBytes(6).toString('hex');
  private sequence = 0;
  private readonly syncing = new Map<string, Promise<void>>();
  /** IP → block end (or null) as read at `checkedAt` (request time). */
  private readonly ipStatus = new Map<string, { until: number | null; checkedAt: number }>();
  private readonly scripts: Record<'rate' | 'quota' | 'sync' | 'replay' | 'authFailure', ScriptFn>;

  constructor(
    readonly redis: Redis,
    private readonly options: RedisCountersOptions,
  ) {
    const define = (name: string, lua: string, keys: number): ScriptFn => {
      const command = `ks_${name}`;
      redis.defineCommand(command, { lua, numberOfKeys: keys });
      const fn = (redis as unknown as Record<string, ScriptFn>)[command];
      if (!fn) throw new Error(`could not define ${command}`);
      return fn.bind(redis);
    };
    this.scripts = {
      rate: define('rate', RATE_SCRIPT, 2),
      quota: define('quota', QUOTA_SCRIPT, 3),
      sync: define('sync', SYNC_SCRIPT, 3),
      replay: define('replay', REPLAY_SCRIPT, 3),
      authFailure: define('auth_failure', AUTH_FAILURE_SCRIPT, 2),
    };
  }

  private orgKey(organizationId: string, rest: string): string {
    return `${this.options.prefix}:{${organizationId}}:${rest}`;
  }

  private ipKey(ip: string, rest: string): string {
    return `${this.options.prefix}:ip:{${ip}}:${rest}`;
  }

  /** The Redis keys of a key's quota state: hash, minute index, hour index. */
  quotaKeys(organizationId: string, keyId: string): [string, string, string] {
    return [
      this.orgKey(organizationId, `q:${keyId}`),
      this.orgKey(organizationId, `qm:${keyId}`),
      this.orgKey(organizationId, `qh:${keyId}`),
    ];
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw error instanceof RedisUnavailableError ? error : new RedisUnavailableError(error);
    }
  }

  /** A sorted-set member unique to this request: time, process, sequence. */
  private member(now: number): string {
    this.sequence = (this.sequence + 1) % 1e12;
    return `${now}:${this.instance}:${this.sequence}`;
  }

  async ping(): Promise<void> {
    await this.call(() => this.redis.ping());
  }

  // ---- rate limits ----

  admitRate(check: RateCheck): Promise<RateLimitDecision> {
    return this.rate(check, true);
  }

  peekRate(check: RateCheck): Promise<RateLimitDecision> {
    return this.rate(check, false);
  }

  private async rate(check: RateCheck, record: boolean): Promise<RateLimitDecision> {
    const now = Math.floor(check.now);
    const member = this.member(now);
    const limiters: RateLimitCaps[] = check.keyCaps ? [check.planCaps, check.keyCaps] : [check.planCaps];
    const reply = (await this.call(() =>
      this.scripts.rate(
        this.orgKey(check.organizationId, 'rl'),
        this.orgKey(check.organizationId, `rl:${check.keyId}`),
        now,
        member,
        record ? 1 : 0,
        check.planCaps.perSecond,
        check.planCaps.perMinute,
        check.keyCaps?.perSecond ?? 0,
        check.keyCaps?.perMinute ?? 0,
        RATE_KEEP_MS,
      ),
    )) as number[];
    const admitted = reply[reply.length - 1] === 1;
    const taken: 0 | 1 = admitted && record ? 1 : 0;
    const decisions = limiters.map((caps, i) => {
      const at = (k: number) => reply[i * 6 + k] ?? -1;
      const seen = (offset: number): RateWindowSeen => ({
        count: at(offset),
        oldest: at(offset + 1) < 0 ? null : at(offset + 1),
        free: at(offset + 2),
      });
      return limiterDecision(caps, { second: seen(0), minute: seen(3) }, now, taken);
    });
    if (!record) {
      // As MemoryCounters.peekRate: the limiter with the least room left.
      return decisions.reduce((tightest, d) => (d.remaining < tightest.remaining ? d : tightest));
    }
    if (!admitted) {
      return pick(
        decisions.filter((d) => !d.admitted),
        (a, b) => a.retryAfterMs > b.retryAfterMs,
      );
    }
    return pick(
      decisions,
      (a, b) => a.remaining < b.remaining || (a.remaining === b.remaining && a.limit < b.limit),
    );
  }

  // ---- quotas ----

  consumeQuota(check: QuotaCheck): Promise<QuotaOutcome> {
    return this.quota(check, true);
  }

  peekQuota(check: QuotaCheck): Promise<QuotaOutcome> {
    return this.quota(check, false);
  }

  private async quota(check: QuotaCheck, record: boolean): Promise<QuotaOutcome> {
    const now = Math.floor(check.now);
    const tag = quotaTag(check.quotas);
    const keys = this.quotaKeys(check.organizationId, check.keyId);
    const limits = QUOTA_WINDOW_NAMES.map((w) => check.quotas[w] ?? -1);
    for (let attempt = 0; attempt < 5; attempt++) {
      const reply = (await this.call(() =>
        this.scripts.quota(...keys, now, check.cost, record ? 1 : 0, tag, ...limits, QUOTA_TTL_MS),
      )) as number[];
      if (reply[0] !== -1) return this.quotaOutcome(check, reply);
      await this.sync(check, tag, keys, now);
    }
    throw new RedisUnavailableError(new Error(`quota state of ${check.keyId} keeps changing configuration`));
  }

  private quotaOutcome(check: QuotaCheck, reply: number[]): QuotaOutcome {
    const exceededIndex = reply[1] ?? 0;
    const windows: { [W in QuotaWindowName]?: QuotaStatusByWindow[W] } = {};
    QUOTA_WINDOW_NAMES.forEach((name, i) => {
      const limit = check.quotas[name];
      if (limit === null || limit === undefined) return;
      const used = reply[2 + i] ?? 0;
      const spec = QUOTA_WINDOWS[name];
      const oldest = i === 0 ? -1 : (reply[5 + i] ?? -1);
      const nextFreeAt =
        spec.durationMs === null || oldest < 0 || used <= 0 ? null : oldest + spec.bucketMs + spec.durationMs;
      windows[name] = { limit, used, remaining: Math.max(0, limit - used), nextFreeAt };
    });
    return {
      admitted: reply[0] === 1,
      exceeded: exceededIndex === 0 ? null : (QUOTA_WINDOW_NAMES[exceededIndex - 1] ?? null),
      windows,
    };
  }

  /** Seeds (or re-synchronises) a key's state from its persisted usage; one load per key at a time. */
  private async sync(check: QuotaCheck, tag: string, keys: string[], now: number): Promise<void> {
    const id = `${check.keyId}|${tag}`;
    let running = this.syncing.get(id);
    if (!running) {
      running = (async () => {
        const loadStartedAt = Date.now();
        const usage = await this.options.loadUsage(check.keyId, now);
        const args: (string | number)[] = [now, tag, loadStartedAt, usage.total, usage.minute.length];
        for (const b of usage.minute) args.push(b.start, b.credits);
        args.push(usage.hour.length);
        for (const b of usage.hour) args.push(b.start, b.credits);
        args.push(QUOTA_TTL_MS);
        await this.call(() => this.scripts.sync(...keys, ...args));
      })().finally(() => this.syncing.delete(id));
      this.syncing.set(id, running);
    }
    await running;
  }

  /** Adds credits charged in PostgreSQL during an outage (see REPLAY_SCRIPT). */
  async replay(entry: ReplayEntry): Promise<boolean> {
    const keys = this.quotaKeys(entry.organizationId, entry.keyId);
    const added = await this.call(() =>
      this.scripts.replay(...keys, Math.floor(entry.t), entry.cost, entry.committedAt, QUOTA_TTL_MS),
    );
    return added === 1;
  }

  // ---- failed attempts and IP blocks ----

  async ipBlockedUntil(ip: string, now: number): Promise<number | null> {
    const cacheMs = this.options.ipStatusCacheMs ?? 0;
    const cached = cacheMs > 0 ? this.ipStatus.get(ip) : undefined;
    if (cached && now >= cached.checkedAt && now - cached.checkedAt < cacheMs) {
      return cached.until !== null && cached.until > now ? cached.until : null;
    }
    const raw = await this.call(() => this.redis.get(this.ipKey(ip, 'block')));
    const until = raw === null ? null : Number(raw);
    if (cacheMs > 0) this.rememberIp(ip, until, now);
    return until !== null && until > now ? until : null;
  }

  private rememberIp(ip: string, until: number | null, now: number): void {
    this.ipStatus.delete(ip);
    this.ipStatus.set(ip, { until, checkedAt: now });
    if (this.ipStatus.size > IP_STATUS_CACHE_LIMIT) {
      const oldest = this.ipStatus.keys().next();
      if (!oldest.done) this.ipStatus.delete(oldest.value);
    }
  }

  async recordAuthFailure(ip: string, now: number): Promise<number | null> {
    const t = Math.floor(now);
    const member = this.member(t);
    const { maxFailures, failureWindowMs, blockMs } = this.options.ipPolicy;
    const until = (await this.call(() =>
      this.scripts.authFailure(
        this.ipKey(ip, 'fail'),
        this.ipKey(ip, 'block'),
        t,
        member,
        Math.ceil(failureWindowMs),
        maxFailures,
        Math.ceil(blockMs),
      ),
    )) as number;
    if (until < 0) return null;
    if ((this.options.ipStatusCacheMs ?? 0) > 0) this.rememberIp(ip, until, t);
    return until;
  }

  async unblockIp(ip: string): Promise<void> {
    this.ipStatus.delete(ip);
    await this.call(() => this.redis.del(this.ipKey(ip, 'fail'), this.ipKey(ip, 'block')));
  }

  async close(): Promise<void> {
    // The connection is owned by the caller (createVerification), which quits it after the last flush.
  }
}
