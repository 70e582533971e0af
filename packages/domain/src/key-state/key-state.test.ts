import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_STATES, type KeyStateFields, keyState, keyStateRefusal, revokedSince } from './key-state.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const HOUR = 3_600_000;

function key(fields: Partial<KeyStateFields> = {}): KeyStateFields {
  return { revokedAt: null, graceEndsAt: null, expiresAt: null, active: true, ...fields };
}

describe('keyState', () => {
  it.each([
    ['a plain key', key(), 'active', null],
    ['a deactivated key', key({ active: false }), 'inactive', 'INACTIVE'],
    ['a key revoked an hour ago', key({ revokedAt: NOW - HOUR }), 'revoked', 'REVOKED'],
    ['a key whose revokedAt lies ahead', key({ revokedAt: NOW + HOUR }), 'revoked', 'REVOKED'],
    ['a rolled key in its grace period', key({ graceEndsAt: NOW + 1 }), 'active', null],
    ['a rolled key at the end of its grace period', key({ graceEndsAt: NOW }), 'revoked', 'REVOKED'],
    ['a key expiring a moment from now', key({ expiresAt: NOW + 1 }), 'active', null],
    ['a key at its expiry', key({ expiresAt: NOW }), 'expired', 'EXPIRED'],
    ['an expired, deactivated key', key({ expiresAt: NOW - HOUR, active: false }), 'expired', 'INACTIVE'],
    [
      'a revoked, expired, deactivated key',
      key({ revokedAt: NOW - HOUR, expiresAt: NOW - HOUR, active: false }),
      'revoked',
      'REVOKED',
    ],
    [
      'an expired key past its grace',
      key({ graceEndsAt: NOW - 1, expiresAt: NOW - HOUR }),
      'revoked',
      'REVOKED',
    ],
  ] as const)('%s: %s', (_what, fields, state, refusal) => {
    expect(keyState(fields, NOW)).toBe(state);
    expect(keyStateRefusal(fields, NOW)).toBe(refusal);
  });

  it('dates a revocation by revokedAt, else by the end of the grace period once it has passed', () => {
    expect(revokedSince(key({ revokedAt: NOW - HOUR, graceEndsAt: NOW - 2 * HOUR }), NOW)).toBe(NOW - HOUR);
    expect(revokedSince(key({ graceEndsAt: NOW - 2 * HOUR }), NOW)).toBe(NOW - 2 * HOUR);
    expect(revokedSince(key({ graceEndsAt: NOW + 1 }), NOW)).toBeNull();
    expect(revokedSince(key(), NOW)).toBeNull();
  });
});

const instantArb = fc.oneof(
  fc.constant(NOW),
  fc.integer({ min: -3, max: 3 }).map((o) => NOW + o),
  fc.integer({ min: -1000 * HOUR, max: 1000 * HOUR }).map((o) => NOW + o),
);
const keyArb: fc.Arbitrary<KeyStateFields> = fc.record({
  revokedAt: fc.option(instantArb, { nil: null }),
  graceEndsAt: fc.option(instantArb, { nil: null }),
  expiresAt: fc.option(instantArb, { nil: null }),
  active: fc.boolean(),
});

describe('keyStateRefusal agrees with keyState', () => {
  it('admits exactly the active keys, refuses the revoked as REVOKED, and puts INACTIVE before EXPIRED (§3)', () => {
    fc.assert(
      fc.property(keyArb, (k) => {
        const state = keyState(k, NOW);
        const refusal = keyStateRefusal(k, NOW);
        expect(KEY_STATES).toContain(state);
        expect(refusal === null).toBe(state === 'active');
        expect(refusal === 'REVOKED').toBe(state === 'revoked');
        expect(refusal === 'REVOKED').toBe(revokedSince(k, NOW) !== null);
        if (state === 'inactive') expect(refusal).toBe('INACTIVE');
        if (state === 'expired') expect(refusal).toBe(k.active ? 'EXPIRED' : 'INACTIVE');
      }),
      { numRuns: 1000 },
    );
  });

  it('never revives a key: once revoked or expired at an instant, so at every later instant', () => {
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 0, max: 1000 * HOUR }), (k, later) => {
        const state = keyState(k, NOW);
        if (state === 'revoked') expect(keyState(k, NOW + later)).toBe('revoked');
        if (state === 'expired') expect(['expired', 'revoked']).toContain(keyState(k, NOW + later));
      }),
    );
  });
});
