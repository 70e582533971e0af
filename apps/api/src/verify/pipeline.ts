import { timingSafeEqual } from 'node:crypto';
import {
  hasScopes,
  ipInAllowlist,
  keyStateRefusal,
  PLAN_LIMITS,
  type Plan,
  parseApiKey,
  type QuotaWindowName,
  quotaExceededMessage,
  type RateLimitCaps,
  type RateLimitDecision,
  rateLimitedMessage,
  VERIFY_ERROR_BY_CODE,
  type VerifyCode,
  type VerifyResultCode,
} from '@keysmith/domain';
import { sha256Bytes } from '../digest.js';
import { blockSubject, type Counters, type QuotaOutcome, type Sync } from './counters.js';
import type { AuthFailureReport, KeyLookup, UsageRecorder } from './ports.js';
import type { VerifiableKey } from './verifiable-key.js';

export interface VerifyRequest {
  /** The presented key exactly as sent (header value without `Bearer `), or null when none. */
  key: string | null;
  /**
   * True when the key headers break the rules of §3 (a bare key in `Authorization`, another
   * scheme, or two different keys): `INVALID`, whatever `key` holds.
   */
  malformed?: boolean;
  /**
   * The caller's IP as seen through trusted proxies (for `/v1/keys/verify`: the body's `ip`),
   * or null when unknown (a verify call without `ip`): no block applies to or is counted for an
   * unknown address, and it satisfies no allowlist.
   */
  ip: string | null;
  requiredScopes: readonly string[];
  /** Credits this request costs (0 checks quotas without consuming). */
  cost: number;
  /**
   * False for a `keys:verify` caller's own call: its key is checked but neither rate-limited
   * nor metered (§5), and no counter is touched; the verified key is.
   */
  meter: boolean;
  /**
   * Report the key's quota windows also when the request is refused (the verify answer's
   * `quotas`); direct `/v1` calls do not show them, so they skip reading them.
   */
  reportQuotas?: boolean;
  now: number;
  /**
   * For `/v1/keys/verify`: the verified key must belong to the caller's organization (and
   * space, unless the caller holds `admin:*`); any other key is `Invalid API Key`, exactly
   * as if it did not exist, so no tenant can probe another's keys. Failed attempts it reports
   * count and block per (this organization, ip), never globally (§3).
   */
  within?: { organizationId: string; spaceId: string | null };
}

/** What the pipeline decided; the HTTP layer maps it to a status, body and headers. */
export interface VerifyOutcome {
  code: VerifyResultCode;
  status: number;
  /** The §3 error string, or null when valid. */
  error: string | null;
  /** The key record when the key was identified (also for most refusals), else null. */
  key: VerifiableKey | null;
  /** The rate-limit state of the key's tightest limiter (the §3 headers); null when not counted. */
  rate: RateLimitDecision | null;
  /** The organization's plan limiter alone, after this request (headers for an unmetered caller). */
  planRate: RateLimitDecision | null;
  quota: QuotaOutcome | null;
  /** Seconds to wait, for 429 (and for blocked IPs). */
  retryAfterSeconds: number | null;
  /** Credits charged (0 unless admitted and metered). */
  credits: number;
}

/**
 * What the pipeline reports to the security log (§6). Implementations only queue: they are
 * called on the request path and must not do I/O there.
 */
export interface VerifierEvents {
  /** A failed attempt (`MISSING`/`INVALID`), counted and possibly starting a block (§3). */
  authFailed(failure: AuthFailureReport): void;
  /** A request of `key` was refused because `window` had no room. */
  quotaExceeded(hit: { key: VerifiableKey; window: QuotaWindowName; ip: string | null; now: number }): void;
}

export interface VerifierDeps {
  keys: KeyLookup;
  counters: Counters;
  usage: UsageRecorder;
  events?: VerifierEvents;
}

function outcome(
  code: VerifyResultCode,
  key: VerifiableKey | null,
  rate: RateLimitDecision | null,
  planRate: RateLimitDecision | null,
  quota: QuotaOutcome | null,
  retryAfterSeconds: number | null,
  credits: number,
  error?: string,
): VerifyOutcome {
  const spec = code === 'VALID' ? null : VERIFY_ERROR_BY_CODE[code];
  return {
    code,
    status: spec?.status ?? 200,
    error: error ?? spec?.error ?? null,
    key,
    rate,
    planRate,
    quota,
    retryAfterSeconds,
    credits,
  };
}

function blocked(until: number, now: number): VerifyOutcome {
  return outcome('IP_BLOCKED', null, null, null, null, Math.ceil((until - now) / 1000), 0);
}

/** The plan's caps, and the key's override clamped to them (an override may only be stricter). */
export function rateCapsFor(key: VerifiableKey): { plan: RateLimitCaps; key: RateLimitCaps | null } {
  const plan = PLAN_CAPS[key.plan];
  if (!key.rateLimit) return { plan, key: null };
  return {
    plan,
    key: {
      perSecond: Math.min(key.rateLimit.perSecond ?? plan.perSecond, plan.perSecond),
      perMinute: Math.min(key.rateLimit.perMinute ?? plan.perMinute, plan.perMinute),
    },
  };
}

/** {@link rateCapsFor}, computed once per cached key record. */
function capsOf(key: VerifiableKey): { plan: RateLimitCaps; key: RateLimitCaps | null } {
  if (key.caps === undefined) key.caps = rateCapsFor(key);
  return key.caps;
}

/** Each plan's caps as one object for the process's lifetime (no allocation per request). */
const PLAN_CAPS = Object.fromEntries(
  Object.entries(PLAN_LIMITS).map(([plan, limits]) => [
    plan,
    { perSecond: limits.perSecond, perMinute: limits.perMinute },
  ]),
) as Record<Plan, RateLimitCaps>;

/** `then` without a microtask when the value is already there. */
function then<T, R>(value: Sync<T>, next: (value: T) => Sync<R>): Sync<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * The one verification pipeline (§3), shared by the `/v1` auth hook and
 * `POST /v1/keys/verify`: IP block → key presence → parse (no I/O for a malformed key) →
 * record from cache or database → secret (constant time) → revoked → inactive → expired →
 * IP allowlist → scopes → rate limits → quotas → admit. The first failing check answers.
 *
 * One pass returns everything the HTTP layer needs (decision, rate-limit state for the headers,
 * quota windows), with at most one counter call per request (one Redis round trip), and no
 * `await` at all when the key is cached and the counters are in memory.
 */
export class Verifier {
  constructor(private readonly deps: VerifierDeps) {}

  verify(req: VerifyRequest): Sync<VerifyOutcome> {
    const subject = req.ip === null ? null : blockSubject(req.within?.organizationId ?? null, req.ip);
    if (subject === null) return this.identify(req, null, false);
    const known = this.deps.counters.knownBlock(subject, req.now);
    if (typeof known === 'number') return blocked(known, req.now);
    if (known === null) return this.identify(req, subject, false);
    // Not known here. A direct caller's global block is checked before anything touches storage;
    // a verify-reported (scoped) block is checked by the admission step itself (one round trip).
    if (req.within !== undefined) return this.identify(req, subject, true);
    return then(this.deps.counters.ipBlockedUntil(subject, req.now), (until) =>
      until === null ? this.identify(req, subject, false) : blocked(until, req.now),
    );
  }

  /** Presence, format and record of the key; `blockUnknown` when the subject's block is still to be checked. */
  private identify(req: VerifyRequest, subject: string | null, blockUnknown: boolean): Sync<VerifyOutcome> {
    if (!req.malformed && (req.key === null || req.key === '')) {
      return this.fail(req, subject, blockUnknown, 'MISSING', null, null);
    }
    const parsed = req.malformed || req.key === null ? null : parseApiKey(req.key);
    if (parsed === null || !parsed.ok) return this.fail(req, subject, blockUnknown, 'INVALID', null, null);
    const named = parsed.key.keyId;
    const secret = parsed.key.secret;
    const cached = this.deps.keys.peek(named, req.now);
    if (cached !== undefined) return this.check(req, subject, blockUnknown, named, secret, cached);
    return this.deps.keys
      .get(named, req.now)
      .then((key) => this.check(req, subject, blockUnknown, named, secret, key));
  }

  private check(
    req: VerifyRequest,
    subject: string | null,
    blockUnknown: boolean,
    named: string,
    secret: string,
    key: VerifiableKey | null,
  ): Sync<VerifyOutcome> {
    const foreign =
      key !== null &&
      req.within !== undefined &&
      (key.organizationId !== req.within.organizationId ||
        (req.within.spaceId !== null && key.spaceId !== req.within.spaceId));
    if (key === null || foreign || !timingSafeEqual(sha256Bytes(secret), key.secretHash)) {
      return this.fail(req, subject, blockUnknown, 'INVALID', named, foreign ? null : key);
    }
    const refused = this.refusalOf(key, req);
    if (!req.meter) {
      // A keys:verify caller: its key is checked, nothing is counted (§5).
      return refused === null
        ? outcome('VALID', key, null, null, null, null, 0)
        : outcome(refused, key, null, null, null, null, 0);
    }
    const caps = capsOf(key);
    const admitting = refused === null;
    const admission = this.deps.counters.admit({
      organizationId: key.organizationId,
      keyId: key.id,
      planCaps: caps.plan,
      keyCaps: caps.key,
      scopedIp: req.within !== undefined ? req.ip : null,
      mode: admitting ? 'admit' : 'peek',
      quotas: key.hasQuotas && (admitting || req.reportQuotas === true) ? key.quotas : null,
      cost: admitting ? req.cost : 0,
      now: req.now,
    });
    return then(admission, (result) => {
      if (result.blockedUntil !== null) return blocked(result.blockedUntil, req.now);
      const { rate, planRate, quota } = result;
      if (refused !== null) return outcome(refused, key, rate, planRate, quota, null, 0);
      if (rate !== null && !rate.admitted) {
        const retry = Math.max(1, Math.ceil(rate.retryAfterMs / 1000));
        return outcome(
          'RATE_LIMITED',
          key,
          rate,
          planRate,
          null,
          retry,
          0,
          rateLimitedMessage(rate.exceeded ?? 'minute'),
        );
      }
      if (quota !== null && !quota.admitted) {
        const window = quota.exceeded ?? 'total';
        this.deps.events?.quotaExceeded({ key, window, ip: req.ip, now: req.now });
        return outcome('QUOTA_EXCEEDED', key, rate, planRate, quota, null, 0, quotaExceededMessage(window));
      }
      if (req.cost > 0 && quota?.persisted !== true)
        this.deps.usage.record(key.organizationId, key.id, req.now, req.cost);
      return outcome('VALID', key, rate, planRate, quota, null, req.cost);
    });
  }

  /** Checks 4–8 of §3, which need no counter: the first that fails, or null (4–6 are the domain's key state). */
  private refusalOf(key: VerifiableKey, req: VerifyRequest): VerifyCode | null {
    const state = keyStateRefusal(key, req.now);
    if (state !== null) return state;
    if (key.ipAllowlist.length > 0 && (req.ip === null || !ipInAllowlist(req.ip, key.ipAllowlist))) {
      return 'IP_NOT_ALLOWED';
    }
    if (req.requiredScopes.length > 0 && !hasScopes(key.scopes, req.requiredScopes).ok) return 'FORBIDDEN';
    return null;
  }

  /**
   * Counts a failed attempt against its block subject (none when the IP is unknown) and reports
   * it, attributed to the organization whose backend reported it through `/v1/keys/verify`, else
   * to the organization of the real key whose id the request named (a wrong secret), else to none.
   * A subject whose block is not known yet is checked first: a blocked IP gets `IP_BLOCKED`.
   */
  private fail(
    req: VerifyRequest,
    subject: string | null,
    blockUnknown: boolean,
    code: 'MISSING' | 'INVALID',
    namedKeyId: string | null,
    key: VerifiableKey | null,
  ): Sync<VerifyOutcome> {
    if (subject === null || req.ip === null) return outcome(code, null, null, null, null, null, 0);
    const ip = req.ip;
    const record = (): Sync<VerifyOutcome> =>
      then(this.deps.counters.recordAuthFailure(subject, req.now), (until) => {
        this.deps.events?.authFailed({
          ip,
          code,
          organizationId: req.within?.organizationId ?? key?.organizationId ?? null,
          keyId: namedKeyId,
          scoped: req.within !== undefined,
          blockedUntil: until,
          now: req.now,
        });
        return outcome(code, null, null, null, null, null, 0);
      });
    if (!blockUnknown) return record();
    return then(this.deps.counters.ipBlockedUntil(subject, req.now), (until) =>
      until === null ? record() : blocked(until, req.now),
    );
  }

  /**
   * The organization's plan limiter, peeked: the headers of a `keys:verify` caller whose
   * verified key was not identified (otherwise its admission step already reports it).
   */
  async planRate(organizationId: string, plan: Plan, now: number): Promise<RateLimitDecision | null> {
    const result = await this.deps.counters.admit({
      organizationId,
      keyId: '-',
      planCaps: PLAN_CAPS[plan],
      keyCaps: null,
      scopedIp: null,
      mode: 'peek',
      quotas: null,
      cost: 0,
      now,
    });
    return result.planRate;
  }
}
