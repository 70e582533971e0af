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
 * Everything the counters decide for one identified key's request, in one step (one Redis
 * script): the organization-scoped IP block, the rate limits, and the quotas.
 */
export interface Admission {
  organizationId: string;
  keyId: string;
  planCaps: RateLimitCaps;
  /** The key's override, already merged with the plan caps (each side at most the plan's). */
  keyCaps: RateLimitCaps | null;
  /**
   * The consumer IP a `/v1/keys/verify` call reported: its (organization, ip) block is checked
   * first, in the same step. Null for direct calls (the caller checks the global block of its
   * own IP before the key lookup, with {@link Counters.ipBlockedUntil}) or an unknown IP.
   */
  scopedIp: string | null;
  /**
   * `admit`: check the rate limits and record the request when they admit it, then check the
   * quotas and charge `cost` when every window has room. `peek`: report both without recording
   * (a request already refused for another reason still shows its rate-limit state, §3).
   */
  mode: 'admit' | 'peek';
  /** The key's quotas, or null when it has none (nothing is read for them). */
  quotas: QuotaLimits | null;
  cost: number;
  now: number;
  /**
   * Unique per request: the shared counters remember which requests they charged, so a charge
   * also made in PostgreSQL while their answer was late is not replayed twice (decision 0007).
   */
  requestId?: string;
}

export interface AdmissionResult {
  /** Set when `scopedIp` is blocked: nothing else was checked or recorded. */
  blockedUntil: number | null;
  /** The rate decision of the tightest limiter (the headers' values); null when blocked. */
  rate: RateLimitDecision | null;
  /**
   * The organization's plan limiter alone (after this request when it was recorded): the
   * headers of a caller whose own calls are not rate-limited (`keys:verify`, §5).
   */
  planRate: RateLimitDecision | null;
  /** The quota decision; null when the key has no quotas, or the request was blocked or rate-limited. */
  quota: QuotaOutcome | null;
}

/** A value now, or later: the in-memory counters answer synchronously, so the hot path does not wait a tick. */
export type Sync<T> = T | Promise<T>;

/**
 * The shared state of the hot path behind one interface: rate-limit logs, quota counters
 * and failed-attempt blocks. `MemoryCounters` serves the embedded single process;
 * `RedisCounters` shares exact state between processes with atomic Lua scripts.
 *
 * Each check-and-record is atomic: a rate-limited request is recorded in every limiter or in
 * none, and a quota is charged only if every configured window has room.
 */
export interface Counters {
  /** One identified key's request: scoped block, rate limits and quotas in one step. */
  admit(admission: Admission): Sync<AdmissionResult>;
  /**
   * What is known without I/O about a {@link blockSubject}: the block's end, null when known
   * not blocked, undefined when only the shared store knows (then ask {@link ipBlockedUntil}).
   */
  knownBlock(subject: string, now: number): number | null | undefined;
  /** When the block of a {@link blockSubject} ends (epoch ms), or null when it is not blocked. */
  ipBlockedUntil(subject: string, now: number): Sync<number | null>;
  /** Counts a failed attempt of a {@link blockSubject}; returns when the (possibly new) block ends, or null. */
  recordAuthFailure(subject: string, now: number): Sync<number | null>;
  unblockIp(subject: string): Promise<void>;
  close(): Promise<void>;
}

/** Rate and quota checks on their own, as tests and the fallbacks use them. */
export function rateCheckOf(admission: Admission): RateCheck {
  return {
    organizationId: admission.organizationId,
    planCaps: admission.planCaps,
    keyId: admission.keyId,
    keyCaps: admission.keyCaps,
    now: admission.now,
  };
}
