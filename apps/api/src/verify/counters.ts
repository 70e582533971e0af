import type {
  QuotaLimits,
  QuotaStatusByWindow,
  QuotaWindowName,
  RateLimitCaps,
  RateLimitDecision,
} from '@keysmith/domain';

/** A request to admit against the organization's plan caps and, if set, the key's stricter caps. */
export interface RateCheck {
  organizationId: string;
  planCaps: RateLimitCaps;
  keyId: string;
  /** The key's override, already merged with the plan caps (each side at most the plan's). */
  keyCaps: RateLimitCaps | null;
  now: number;
}

export interface QuotaCheck {
  organizationId: string;
  keyId: string;
  quotas: QuotaLimits;
  cost: number;
  now: number;
}

export interface QuotaOutcome {
  admitted: boolean;
  exceeded: QuotaWindowName | null;
  /** Each configured window, after this request's cost when admitted. */
  windows: QuotaStatusByWindow;
  /**
   * True when the counter already wrote the admitted credits to PostgreSQL (the quota fallback
   * while Redis is down): the caller must not queue them again for the batched flush.
   */
  persisted?: boolean;
}

export interface IpBlockPolicy {
  /** Failed attempts (`INVALID`/`MISSING`) from one IP … */
  maxFailures: number;
  /** … within this span … */
  failureWindowMs: number;
  /** … block the IP for this long. */
  blockMs: number;
}

/**
 * What a failed-attempt block applies to (§3): an IP everywhere (`organizationId` null: direct
 * `/v1` calls with bad keys), or an IP as reported by one organization's backend through
 * `/v1/keys/verify`, which counts and blocks only within that organization, so one tenant can
 * never block another tenant's callers. The counters' IP methods take this subject string.
 */
export function blockSubject(organizationId: string | null, ip: string): string {
  return organizationId === null ? ip : `${organizationId}/${ip}`;
}

/**
 * The shared state of the hot path behind one interface: rate-limit logs, quota counters
 * and failed-attempt blocks. `MemoryCounters` serves the embedded single process;
 * `RedisCounters` shares exact state between processes with atomic Lua scripts.
 *
 * Each check-and-record is atomic: a rate-limited request is recorded in every limiter or in
 * none, and a quota is charged only if every configured window has room.
 */
export interface Counters {
  admitRate(check: RateCheck): Promise<RateLimitDecision>;
  peekRate(check: RateCheck): Promise<RateLimitDecision>;
  consumeQuota(check: QuotaCheck): Promise<QuotaOutcome>;
  peekQuota(check: QuotaCheck): Promise<QuotaOutcome>;
  /** When the block of a {@link blockSubject} ends (epoch ms), or null when it is not blocked. */
  ipBlockedUntil(subject: string, now: number): Promise<number | null>;
  /** Counts a failed attempt of a {@link blockSubject}; returns when the (possibly new) block ends, or null. */
  recordAuthFailure(subject: string, now: number): Promise<number | null>;
  unblockIp(subject: string): Promise<void>;
  close(): Promise<void>;
}
