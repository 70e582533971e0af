import { describe, expect, it } from 'vitest';
import {
  addScopes,
  customScopes,
  isReservedScope,
  sameScopes,
  scopeProblem,
  splitScopeInput,
} from './scope-catalog';

describe('customScopes', () => {
  it('drops the reserved scopes and sorts', () => {
    expect(customScopes(['keys:read', 'orders:write', 'keys:verify', 'orders:read'])).toEqual([
      'orders:read',
      'orders:write',
    ]);
    expect(isReservedScope('keys:delete')).toBe(true);
    expect(isReservedScope('keys:*')).toBe(false);
  });
});

describe('splitScopeInput', () => {
  it('splits on commas, spaces and new lines', () => {
    expect(splitScopeInput(' orders:read, orders:write\nrefunds:* ')).toEqual([
      'orders:read',
      'orders:write',
      'refunds:*',
    ]);
  });
});

describe('scopeProblem', () => {
  it.each([
    ['orders:read', null],
    ['refunds:*', null],
    ['admin:*', null],
    ['Orders:Read', 'Scopes are lowercase: use "orders:read" instead of "Orders:Read"'],
    [
      'orders',
      '"orders" is not a valid scope: use resource:action or resource:* in lowercase, e.g. orders:read',
    ],
    [
      'orders:',
      '"orders:" is not a valid scope: use resource:action or resource:* in lowercase, e.g. orders:read',
    ],
    ['keys:read', '"keys:read" is reserved and always in the catalog'],
    ['users:read', '"users:read" is already in the catalog'],
    [`a:${'b'.repeat(130)}`, 'A scope has at most 128 characters'],
  ])('%s → %s', (scope, expected) => {
    expect(scopeProblem(scope, ['users:read'])).toBe(expected);
  });
});

describe('addScopes', () => {
  it('adds several valid scopes at once, sorted', () => {
    expect(addScopes('orders:write orders:read', ['users:read'])).toEqual({
      ok: true,
      scopes: ['orders:read', 'orders:write', 'users:read'],
    });
  });

  it('adds nothing when one entry is bad, and names it', () => {
    expect(addScopes('orders:read nope', [])).toEqual({
      ok: false,
      message:
        '"nope" is not a valid scope: use resource:action or resource:* in lowercase, e.g. orders:read',
    });
  });

  it('asks for input when empty', () => {
    expect(addScopes('  ', [])).toEqual({ ok: false, message: 'Enter a scope such as orders:read' });
  });

  it('caps the catalog at 500 scopes including the reserved ones', () => {
    const current = Array.from({ length: 495 }, (_, i) => `r${i}:read`);
    expect(addScopes('x:read', current)).toEqual({ ok: true, scopes: expect.any(Array) });
    expect(addScopes('x:read y:read', current)).toEqual({
      ok: false,
      message: 'A catalog has at most 500 scopes',
    });
  });
});

describe('sameScopes', () => {
  it('ignores order', () => {
    expect(sameScopes(['a:b', 'c:d'], ['c:d', 'a:b'])).toBe(true);
    expect(sameScopes(['a:b'], ['a:b', 'c:d'])).toBe(false);
    expect(sameScopes(['a:b', 'x:y'], ['a:b', 'c:d'])).toBe(false);
  });
});
