import { randomBytes } from 'node:crypto';
import {
  pickLeastRoom,
  pickRefusal,
  pickTightest,
  QUOTA_WINDOW_NAMES,
  QUOTA_WINDOWS,
  type QuotaStatusByWindow,
  type QuotaWindowName,
  type RateLimitDecision,
  rateDecision,
  type WindowSnapshot,
} from '@keysmith/domain';
import type { Redis } from 'ioredis';
import type {
  Admission,
  AdmissionResult,
  Counters,
  IpBlockPolicy,
  QuotaCheck,
  QuotaOutcome,
  RateCheck,
} from './counters.js';
import { quotaTag } from './quota-evaluation.js';
import { RedisUnavailableError } from './redis-client.js';
import {
  ADMIT_SCRIPT,
  AUTH_FAILURE_SCRIPT,
  QUOTA_SCRIPT,
  RATE_SCRIPT,
  REPLAY_SCRIPT,
  SYNC_SCRIPT,
} from './redis-scripts.js';
import type { PersistedUsage } from './usage-buckets.js';

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
  /** The request's id: not replayed when Redis already charged it (a reply that came too late). */
  requestId?: string;
}

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

/** One limiter's two windows from six numbers of a script reply (-1 = none). */
function snapshots(reply: number[], offset: number): { second: WindowSnapshot; minute: WindowSnapshot } {
  const at = (k: number) => reply[offset + k] ?? -1;
  const seen = (k: number): WindowSnapshot => ({
    count: at(k),
    oldest: at(k + 1) < 0 ? null : at(k + 1),
    freeAt: at(k + 2) < 0 ? Number.NEGATIVE_INFINITY : at(k + 2),
  });
  return { second: seen(0), minute: seen(3) };
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
  private readonly scripts: Record<'rate' | 'quota' | 'sync' | 'replay' | 'authFailure' | 'admit', ScriptFn>;

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
      replay: define('replay', REPLAY_SCRIPT, 4),
      authFailure: define('auth_failure', AUTH_FAILURE_SCRIPT, 2),
      admit: define('admit', ADMIT_SCRIPT, 7),
    };
  }

  private orgKey(organizationId: string, rest: string): string {
    return `${this.options.prefix}:{${organizationId}}:${rest}`;
  }

  /**
   * The failure log and block of a {@link blockSubject}: a global IP's under its own hash tag,
   * an (organization, ip) subject's under the organization's, so the admission script can check
   * it in the same step (same cluster slot) as the organization's rate and quota state.
   */
  private subjectKey(subject: string, rest: 'fail' | 'block'): string {
    const slash = subject.indexOf('/');
    if (slash < 0) return `${this.options.prefix}:ip:{${subject}}:${rest}`;
    return this.orgKey(subject.slice(0, slash), `ip${rest}:${subject.slice(slash + 1)}`);
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
  member(now: number): string {
    this.sequence = (this.sequence + 1) % 1e12;
    return `${now}:${this.instance}:${this.sequence}`;
  }

  async ping(): Promise<void> {
    await this.call(() => this.redis.ping());
  }

  // ---- rate limits ----

  async admitRate(check: RateCheck): Promise<RateLimitDecision> {
    return (await this.rate(check, true)).rate;
  }

  async peekRate(check: RateCheck): Promise<RateLimitDecision> {
    return (await this.rate(check, false)).rate;
  }

  private async rate(
    check: RateCheck,
    record: boolean,
  ): Promise<{ rate: RateLimitDecision; planRate: RateLimitDecision }> {
    const now = Math.floor(check.now);
    const member = this.member(now);
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
    return this.rateFromReply(check, reply, 0, reply.length - 1, record);
  }

  /**
   * The decision a rate reply stands for: six numbers per limiter from `offset` (the
   * organization's, then the key's), and the admitted flag at `admittedAt`. The arithmetic is
   * the domain's `rateDecision`, the same the in-memory limiter uses.
   */
  private rateFromReply(
    check: RateCheck,
    reply: number[],
    offset: number,
    admittedAt: number,
    record: boolean,
  ): { rate: RateLimitDecision; planRate: RateLimitDecision } {
    const now = Math.floor(check.now);
    const admitted = reply[admittedAt] === 1;
    const taken: 0 | 1 = admitted && record ? 1 : 0;
    const org = snapshots(reply, offset);
    const planRate = rateDecision(check.planCaps, org.second, org.minute, now, taken);
    if (check.keyCaps === null) return { rate: planRate, planRate };
    const key = snapshots(reply, offset + 6);
    const keyRate = rateDecision(check.keyCaps, key.second, key.minute, now, taken);
    if (!record) return { rate: pickLeastRoom([planRate, keyRate]), planRate };
    if (!admitted) return { rate: pickRefusal([planRate, keyRate].filter((d) => !d.admitted)), planRate };
    return { rate: pickTightest([planRate, keyRate]), planRate };
  }

  // ---- one request, one round trip ----

  /**
   * Scoped block, rate limits and quotas of one request in one script call (ADMIT_SCRIPT). When
   * the key's quota state must first be seeded from PostgreSQL, nothing is recorded: the state is
   * synchronised and the call made again.
   */
  async admit(a: Admission): Promise<AdmissionResult> {
    const now = Math.floor(a.now);
    const record = a.mode === 'admit';
    const requestId = a.requestId ?? this.member(now);
    const tag = a.quotas === null ? '' : quotaTag(a.quotas);
    const quotaKeys = this.quotaKeys(a.organizationId, a.keyId);
    const blockKey =
      a.scopedIp === null
        ? this.orgKey(a.organizationId, 'ipblock:-')
        : this.subjectKey(`${a.organizationId}/${a.scopedIp}`, 'block');
    for (let attempt = 0; attempt < 5; attempt++) {
      const reply = (await this.call(() =>
        this.scripts.admit(
          this.orgKey(a.organizationId, 'rl'),
          this.orgKey(a.organizationId, `rl:${a.keyId}`),
          ...quotaKeys,
          blockKey,
          this.orgKey(a.organizationId, `qc:${a.keyId}`),
          now,
          requestId,
          record ? 1 : 0,
          a.planCaps.perSecond,
          a.planCaps.perMinute,
          a.keyCaps?.perSecond ?? 0,
          a.keyCaps?.perMinute ?? 0,
          RATE_KEEP_MS,
          a.scopedIp === null ? 0 : 1,
          a.quotas === null ? 0 : 1,
          a.cost,
          tag,
          ...QUOTA_WINDOW_NAMES.map((w) => a.quotas?.[w] ?? -1),
          QUOTA_TTL_MS,
        ),
      )) as number[];
      if (reply[0] === -2) {
        const until = reply[1] ?? now;
        if (a.scopedIp !== null && (this.options.ipStatusCacheMs ?? 0) > 0)
          this.rememberIp(`${a.organizationId}/${a.scopedIp}`, until, now);
        return { blockedUntil: until, rate: null, planRate: null, quota: null };
      }
      if (reply[0] === -1 && a.quotas !== null) {
        await this.sync(
          { organizationId: a.organizationId, keyId: a.keyId, quotas: a.quotas, cost: 0, now },
          tag,
          quotaKeys,
          now,
        );
        continue;
      }
      const { rate, planRate } = this.rateFromReply(a, reply, 1, 13, record);
      const quota =
        a.quotas !== null && reply[14] === 1
          ? this.quotaOutcome(
              { organizationId: a.organizationId, keyId: a.keyId, quotas: a.quotas, cost: a.cost, now },
              reply.slice(15),
            )
          : null;
      return { blockedUntil: null, rate, planRate, quota };
    }
    throw new RedisUnavailableError(new Error(`quota state of ${a.keyId} keeps changing configuration`));
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
      this.scripts.replay(
        ...keys,
        this.orgKey(entry.organizationId, `qc:${entry.keyId}`),
        Math.floor(entry.t),
        entry.cost,
        entry.committedAt,
        QUOTA_TTL_MS,
        entry.requestId ?? '',
      ),
    );
    return added === 1;
  }

  // ---- failed attempts and IP blocks ----

  /** The block state this process read within the last `ipStatusCacheMs`, or undefined. */
  knownBlock(subject: string, now: number): number | null | undefined {
    const cacheMs = this.options.ipStatusCacheMs ?? 0;
    const cached = cacheMs > 0 ? this.ipStatus.get(subject) : undefined;
    if (!cached || now < cached.checkedAt || now - cached.checkedAt >= cacheMs) return undefined;
    return cached.until !== null && cached.until > now ? cached.until : null;
  }

  async ipBlockedUntil(ip: string, now: number): Promise<number | null> {
    const known = this.knownBlock(ip, now);
    if (known !== undefined) return known;
    const cacheMs = this.options.ipStatusCacheMs ?? 0;
    const raw = await this.call(() => this.redis.get(this.subjectKey(ip, 'block')));
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
        this.subjectKey(ip, 'fail'),
        this.subjectKey(ip, 'block'),
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
    await this.call(() => this.redis.del(this.subjectKey(ip, 'fail'), this.subjectKey(ip, 'block')));
  }

  async close(): Promise<void> {
    // The connection is owned by the caller (createVerification), which quits it after the last flush.
  }
}
