/**
 * The state of a key at an instant (§2.2): the one place that decides whether a key is
 * revoked, expired, inactive or active. The admin's status badge and filter, the key service's
 * guards (no edit, roll or reactivation of a revoked key), the leak response and the verify
 * pipeline all ask this module; the API's SQL status filter mirrors {@link keyState}, and a
 * property test (apps/api/test/key-state-filter.test.ts) holds the two together.
 *
 * Time is in ms since the Unix epoch.
 */

/** In the order the admin lists them (and the OpenAPI document enumerates them). */
export const KEY_STATES = ['active', 'inactive', 'expired', 'revoked'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** What the state depends on, and nothing else. */
export interface KeyStateFields {
  /** Set by a revocation, or by the scheduler when a roll's grace period ends; permanent. */
  readonly revokedAt: number | null;
  /** Set on the old key of a roll: from this instant on it counts as revoked, stamped or not. */
  readonly graceEndsAt: number | null;
  readonly expiresAt: number | null;
  readonly active: boolean;
}

/**
 * When the key became revoked, or null if it is not revoked at `now`: its `revokedAt` (any
 * `revokedAt` counts, whatever instant it names), else the end of its roll's grace period once
 * that has passed, before the scheduler has stamped `revokedAt`.
 */
export function revokedSince(key: KeyStateFields, now: number): number | null {
  if (key.revokedAt !== null) return key.revokedAt;
  if (key.graceEndsAt !== null && key.graceEndsAt <= now) return key.graceEndsAt;
  return null;
}

function isExpired(key: KeyStateFields, now: number): boolean {
  return key.expiresAt !== null && key.expiresAt <= now;
}

/**
 * The key's state at `now`, the first that applies: revoked → expired → inactive → active. An
 * expired key that is also deactivated is `expired` (the admin's status; §3's order differs, see
 * {@link keyStateRefusal}).
 */
export function keyState(key: KeyStateFields, now: number): KeyState {
  if (revokedSince(key, now) !== null) return 'revoked';
  if (isExpired(key, now)) return 'expired';
  return key.active ? 'active' : 'inactive';
}

/** The §3 codes of a key that exists and whose secret matched, but whose state refuses it. */
export type KeyStateRefusal = 'REVOKED' | 'INACTIVE' | 'EXPIRED';

/**
 * Checks 4–6 of §3, in §3's order, or null when the key's state admits requests (exactly when
 * {@link keyState} is `active`). §3 answers `INACTIVE` before `EXPIRED`, so a deactivated key
 * that has also expired is refused as inactive although its state is `expired`. Allocation-free,
 * for the verify hot path.
 */
export function keyStateRefusal(key: KeyStateFields, now: number): KeyStateRefusal | null {
  if (revokedSince(key, now) !== null) return 'REVOKED';
  if (!key.active) return 'INACTIVE';
  if (isExpired(key, now)) return 'EXPIRED';
  return null;
}
