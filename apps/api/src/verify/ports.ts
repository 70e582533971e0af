import type { QuotaWindowName } from '@keysmith/domain';
import type { VerifiableKey } from './verifiable-key.js';

/**
 * The hot path's seams: the types `verify/` shares with the rest of the API, and the
 * interfaces the Verifier and the batch writers depend on instead of concrete classes.
 *
 * Modules (`src/modules/…`) reach the hot path only through this file; the hot path reaches the
 * security module only through {@link SecurityObserver}, which `services.ts` wires in.
 * `test/architecture.test.ts` holds both rules.
 */

export type { Counters, IpBlockPolicy } from './counters.js';
export { blockSubject } from './counters.js';
export type { Granularity, PersistedUsage } from './usage-buckets.js';

/** One authenticated request, as §1's RequestLog: buffered by the hot path, stored by the writer. */
export interface RequestLogEntry {
  organizationId: string;
  spaceId: string | null;
  keyId: string | null;
  time: number;
  method: string;
  endpoint: string;
  status: number;
  durationMs: number;
  ip: string | null;
  credits: number;
  code: string;
}

/**
 * A failed attempt (`MISSING`/`INVALID`) from `ip`, attributed to the organization that
 * reported it through `/v1/keys/verify` or whose real key id it named (null: nobody's), with
 * the key id it named, if any, and the block it started, if it did.
 */
export interface AuthFailureReport {
  ip: string;
  code: 'MISSING' | 'INVALID';
  organizationId: string | null;
  keyId: string | null;
  /** True when the block applies only within `organizationId` (attempts reported through verify). */
  scoped: boolean;
  blockedUntil: number | null;
  now: number;
}

/** A request refused because a quota window was full. */
export interface QuotaHit {
  organizationId: string;
  keyId: string;
  keyName: string;
  window: QuotaWindowName;
  limit: number | null;
  ip: string | null;
  at: number;
}

/**
 * What the hot path tells the security log (§6): written rows (new IPs), failed attempts and
 * full quotas. The request-path methods only queue; `flush` writes, off the request path.
 */
export interface SecurityObserver {
  observe(rows: readonly RequestLogEntry[]): void;
  authFailed(report: AuthFailureReport): void;
  quotaExceeded(hit: QuotaHit): void;
  flush(): Promise<void>;
}

/** The Verifier's view of the key cache: a synchronous peek, and a load when the peek misses. */
export interface KeyLookup {
  /** The cached key (`null`: known not to exist), or `undefined` when it must be loaded. */
  peek(keyId: string, now: number): VerifiableKey | null | undefined;
  get(keyId: string, now: number): Promise<VerifiableKey | null>;
}

/** The Verifier's view of the usage store: credits of an admitted request, buffered. */
export interface UsageRecorder {
  record(organizationId: string, keyId: string, t: number, credits: number): void;
}
