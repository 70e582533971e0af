import { type KeyState, type KeyStateFields, keyState, revokedSince } from '@keysmith/domain';
import type { FilterQuery } from '@mikro-orm/core';
import type { ApiKey } from './api-key.entity.js';

type StoredStateFields = Pick<ApiKey, 'revokedAt' | 'graceEndsAt' | 'expiresAt' | 'active'>;

function ms(date: Date | null | undefined): number | null {
  return date ? date.getTime() : null;
}

/** A stored key's state fields in the domain's form (epoch ms). */
function stateFieldsOf(key: StoredStateFields): KeyStateFields {
  return {
    revokedAt: ms(key.revokedAt),
    graceEndsAt: ms(key.graceEndsAt),
    expiresAt: ms(key.expiresAt),
    active: key.active,
  };
}

/** The domain's {@link keyState} of a stored key. */
export function keyStateOf(key: StoredStateFields, now: Date): KeyState {
  return keyState(stateFieldsOf(key), now.getTime());
}

/** The domain's {@link revokedSince} of a stored key: when it became revoked, or null. */
export function revokedSinceOf(key: StoredStateFields, now: Date): Date | null {
  const since = revokedSince(stateFieldsOf(key), now.getTime());
  return since === null ? null : new Date(since);
}

/** Keys not revoked at `now`: no `revokedAt`, and no roll grace period that has ended. */
export function notRevokedFilter(now: Date): FilterQuery<ApiKey> {
  return { revokedAt: null, $or: [{ graceEndsAt: null }, { graceEndsAt: { $gt: now } }] };
}

/**
 * The keys whose {@link keyState} at `now` is `state`, as a query condition: the domain's rule
 * (revoked → expired → inactive → active, the first that applies) in SQL, for the admin's
 * status filter and counts. test/key-state-filter.test.ts checks it against the domain on
 * random keys and instants.
 */
export function keyStateFilter(state: KeyState, now: Date): FilterQuery<ApiKey> {
  const notExpired: FilterQuery<ApiKey> = { $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] };
  switch (state) {
    case 'revoked':
      return { $or: [{ revokedAt: { $ne: null } }, { graceEndsAt: { $lte: now } }] };
    case 'expired':
      return { $and: [notRevokedFilter(now), { expiresAt: { $lte: now } }] };
    case 'inactive':
      return { $and: [notRevokedFilter(now), notExpired, { active: false }] };
    case 'active':
      return { $and: [notRevokedFilter(now), notExpired, { active: true }] };
  }
}
