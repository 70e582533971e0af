import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Orm } from '../db/orm.js';

/** Whether an attempt may go ahead; when not, how long until one may. */
export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** One sliding window: at most `limit` attempts per subject within `windowMs`. */
export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

/**
 * Attempts per subject in a sliding window, shared by every API process (decision 0012).
 * `hit` checks and records in one atomic step, so parallel attempts cannot all slip through a
 * check made before any of them was recorded.
 */
export interface AttemptThrottle {
  /** Records an attempt of `subject` if the rule allows it now; otherwise says when one may. */
  hit(subject: string, rule: ThrottleRule, now: number): Promise<ThrottleDecision>;
  /** Forgets `subject`'s attempts (a successful sign-in clears its email+IP subject). */
  reset(subject: string): Promise<void>;
}

/**
 * The throttle in PostgreSQL (embedded and server alike): one row per attempt, counted under a
 * transaction-scoped advisory lock on the subject, so any number of processes agree.
 */
export class DatabaseAttemptThrottle implements AttemptThrottle {
  constructor(private readonly orm: Orm) {}

  async hit(subject: string, rule: ThrottleRule, now: number): Promise<ThrottleDecision> {
    return this.orm.em.fork().transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`keysmith:throttle:${subject}`]);
      const since = new Date(now - rule.windowMs);
      await tx.execute('delete from sign_in_attempts where subject = ? and at <= ?', [subject, since]);
      const rows: { n: string | number; oldest: string | null }[] = await tx.execute(
        `select count(*) as n, (extract(epoch from min(at)) * 1000)::bigint::text as oldest
           from sign_in_attempts where subject = ?`,
        [subject],
      );
      const count = Number(rows[0]?.n ?? 0);
      if (count >= rule.limit) {
        const oldest = Number(rows[0]?.oldest ?? now);
        return { allowed: false, retryAfterMs: Math.max(1, oldest + rule.windowMs - now) };
      }
      await tx.execute('insert into sign_in_attempts (subject, at) values (?, ?)', [subject, new Date(now)]);
      return { allowed: true };
    });
  }

  async reset(subject: string): Promise<void> {
    await this.orm.em
      .fork()
      .getConnection()
      .execute('delete from sign_in_attempts where subject = ?', [subject]);
  }
}

/**
 * KEYS[1] the subject's attempts (sorted set of times). ARGV: now, member, windowMs, limit.
 * Returns 0 when recorded, else the ms until the oldest attempt leaves the window.
 */
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
  return math.max(1, oldest + window - now)
end
redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[2])
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', window))
return 0
`;

type HitFn = (key: string, now: number, member: string, windowMs: number, limit: number) => Promise<number>;

/**
 * The throttle in Redis, one script per attempt; if Redis fails, the database throttle answers
 * (never fail open: sign-in stays throttled through an outage).
 */
export class RedisAttemptThrottle implements AttemptThrottle {
  private readonly script: HitFn;
  private sequence = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly fallback: AttemptThrottle,
    private readonly log: Logger,
  ) {
    redis.defineCommand('ks_throttle_hit', { lua: HIT_SCRIPT, numberOfKeys: 1 });
    const fn = (redis as unknown as Record<string, HitFn>).ks_throttle_hit;
    if (!fn) throw new Error('could not define ks_throttle_hit');
    this.script = fn.bind(redis);
  }

  private key(subject: string): string {
    return `${this.prefix}:throttle:{${subject}}`;
  }

  async hit(subject: string, rule: ThrottleRule, now: number): Promise<ThrottleDecision> {
    try {
      this.sequence = (this.sequence + 1) % 1e12;
      const wait = await this.script(
        this.key(subject),
        Math.floor(now),
        `${now}:${process.pid}:${this.sequence}`,
        rule.windowMs,
        rule.limit,
      );
      return wait === 0 ? { allowed: true } : { allowed: false, retryAfterMs: Number(wait) };
    } catch (error) {
      this.log.warn({ err: error }, 'sign-in throttle: Redis unavailable, using the database');
      return this.fallback.hit(subject, rule, now);
    }
  }

  async reset(subject: string): Promise<void> {
    await Promise.allSettled([this.redis.del(this.key(subject)), this.fallback.reset(subject)]);
  }
}

/** The sign-in rules of decision 0012: per IP, and per (email, IP). */
export interface SignInThrottle {
  throttle: AttemptThrottle;
  perIp: ThrottleRule;
  perEmailAndIp: ThrottleRule;
}

/** The subjects one sign-in attempt counts against. */
export function signInSubjects(email: string, ip: string | null): { ip: string; emailAndIp: string } {
  const where = ip ?? 'unknown';
  return { ip: `ip:${where}`, emailAndIp: `email-ip:${email.toLowerCase()}|${where}` };
}
