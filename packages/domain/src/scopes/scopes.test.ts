import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_SCOPE,
  catalogAllows,
  hasScopes,
  isSubsetOfCatalog,
  isValidScope,
  normalizeScopeCatalog,
  parseScope,
  RESERVED_SCOPES,
  SCOPE_MAX_LENGTH,
  scopeGrants,
  scopesNotGrantable,
  scopesOutsideCatalog,
} from './scopes.js';

const partArb = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);
const plainScopeArb = fc.tuple(partArb, partArb).map(([r, a]) => `${r}:${a}`);
const wildcardArb = partArb.map((r) => `${r}:*`);
const scopeArb = fc.oneof(plainScopeArb, wildcardArb, fc.constant(ADMIN_SCOPE));

describe('isValidScope / parseScope', () => {
  it.each([
    'keys:read',
    'keys:verify',
    'a:b',
    'billing_v2:read-all',
    'x9:y_',
    'invoices-2024:export',
    'keys:*',
    'admin:*',
    'admin:read',
  ])('accepts %j', (scope) => {
    expect(isValidScope(scope)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['no colon', 'keys'],
    ['empty resource', ':read'],
    ['empty action', 'keys:'],
    ['uppercase resource', 'Keys:read'],
    ['uppercase action', 'keys:Read'],
    ['all uppercase', 'KEYS:READ'],
    ['digit first in resource', '1keys:read'],
    ['digit first in action', 'keys:1read'],
    ['underscore first', '_keys:read'],
    ['dash first in action', 'keys:-read'],
    ['two colons', 'keys:read:all'],
    ['wildcard resource', '*:read'],
    ['double wildcard', '*:*'],
    ['partial wildcard', 'keys:re*'],
    ['wildcard plus text', 'keys:**'],
    ['leading space', ' keys:read'],
    ['trailing space', 'keys:read '],
    ['trailing newline', 'keys:read\n'],
    ['dot', 'keys.read'],
    ['non-ASCII', 'clés:read'],
    ['too long', `a:${'b'.repeat(SCOPE_MAX_LENGTH - 1)}`],
  ])('rejects %s (%j)', (_name, scope) => {
    expect(isValidScope(scope)).toBe(false);
    expect(parseScope(scope)).toBeNull();
  });

  it('accepts a scope of exactly the maximum length', () => {
    expect(isValidScope(`a:${'b'.repeat(SCOPE_MAX_LENGTH - 2)}`)).toBe(true);
  });

  it('splits resource and action and flags wildcards', () => {
    expect(parseScope('keys:read')).toEqual({ resource: 'keys', action: 'read', wildcard: false });
    expect(parseScope('keys:*')).toEqual({ resource: 'keys', action: '*', wildcard: true });
    expect(parseScope('admin:*')).toEqual({ resource: 'admin', action: '*', wildcard: true });
  });

  it('accepts every generated scope', () => {
    fc.assert(
      fc.property(scopeArb, (scope) => {
        expect(isValidScope(scope)).toBe(true);
      }),
    );
  });
});

describe('scopeGrants', () => {
  it.each([
    // [held, required, granted]
    ['keys:read', 'keys:read', true],
    ['keys:read', 'keys:write', false],
    ['keys:reader', 'keys:read', false],
    ['keys:read', 'keys:reader', false],
    ['key:read', 'keys:read', false],
    ['keys:*', 'keys:read', true],
    ['keys:*', 'keys:reader', true],
    ['keys:*', 'keys:*', true],
    ['key:*', 'keys:read', false],
    ['keys:*', 'key:read', false],
    ['keys:*', 'keysx:read', false],
    ['keys:*', 'invoices:read', false],
    ['keys:*', 'admin:*', false],
    ['keys:read', 'keys:*', false],
    ['admin:*', 'keys:read', true],
    ['admin:*', 'keys:*', true],
    ['admin:*', 'admin:*', true],
    ['admin:*', 'admin:read', true],
    ['admin:*', 'anything-else:do_it', true],
    ['admin:read', 'admin:*', false],
    ['admin:read', 'keys:read', false],
    ['admin:read', 'admin:read', true],
    ['KEYS:READ', 'keys:read', false],
    ['keys:read', 'KEYS:READ', false],
    ['Admin:*', 'keys:read', false],
    ['admin:*', 'Keys:read', false],
    ['admin:*', '', false],
    ['', '', false],
    ['keys:', 'keys:', false],
    ['*:*', 'keys:read', false],
    ['keys:read ', 'keys:read', false],
  ])('%j grants %j: %s', (held, required, granted) => {
    expect(scopeGrants(held, required)).toBe(granted);
  });

  it('is reflexive on valid scopes', () => {
    fc.assert(
      fc.property(scopeArb, (scope) => {
        expect(scopeGrants(scope, scope)).toBe(true);
      }),
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(scopeArb, scopeArb, scopeArb, (a, b, c) => {
        if (scopeGrants(a, b) && scopeGrants(b, c)) expect(scopeGrants(a, c)).toBe(true);
      }),
    );
  });

  it('lets a plain scope grant only itself', () => {
    fc.assert(
      fc.property(plainScopeArb, scopeArb, (held, required) => {
        expect(scopeGrants(held, required)).toBe(held === required);
      }),
    );
  });

  it('lets res:* grant exactly the scopes whose resource is res (whole-word)', () => {
    fc.assert(
      fc.property(partArb, scopeArb, fc.constantFrom('', 's', '_x', '-v2'), (resource, other, suffix) => {
        fc.pre(resource !== 'admin');
        // Often a near-miss sharing the resource as a prefix (`keys` vs `keys_x`).
        const required =
          suffix === '' ? other : `${resource}${suffix}:${other.slice(other.indexOf(':') + 1)}`;
        const expected = required.slice(0, required.indexOf(':')) === resource;
        expect(scopeGrants(`${resource}:*`, required)).toBe(expected);
      }),
    );
  });
});

describe('hasScopes', () => {
  it.each([
    [[], [], { ok: true }],
    [['keys:read'], [], { ok: true }],
    [[], ['keys:read'], { ok: false, missing: ['keys:read'] }],
    [['keys:read', 'keys:write'], ['keys:read', 'keys:write'], { ok: true }],
    [['keys:read'], ['keys:read', 'keys:write'], { ok: false, missing: ['keys:write'] }],
    [['keys:*'], ['keys:read', 'keys:write', 'keys:*'], { ok: true }],
    [
      ['keys:read', 'keys:write', 'keys:delete', 'keys:verify'],
      ['keys:*'],
      { ok: false, missing: ['keys:*'] },
    ],
    [['admin:*'], ['keys:read', 'invoices:*', 'admin:*'], { ok: true }],
    [['keys:reader'], ['keys:read'], { ok: false, missing: ['keys:read'] }],
    [['key:*'], ['keys:read'], { ok: false, missing: ['keys:read'] }],
    [['keys:read'], ['KEYS:READ', 'keys:read'], { ok: false, missing: ['KEYS:READ'] }],
    [['keys:read'], ['keys:write', 'x:y', 'keys:write'], { ok: false, missing: ['keys:write', 'x:y'] }],
  ])('held %j, required %j → %j', (held, required, expected) => {
    expect(hasScopes(held, required)).toEqual(expected);
  });

  it('agrees with scopeGrants requirement by requirement', () => {
    fc.assert(
      fc.property(
        fc.array(scopeArb, { maxLength: 5 }),
        fc.array(scopeArb, { maxLength: 5 }),
        (held, required) => {
          const result = hasScopes(held, required);
          const ungranted = [...new Set(required.filter((r) => !held.some((h) => scopeGrants(h, r))))];
          expect(result).toEqual(ungranted.length === 0 ? { ok: true } : { ok: false, missing: ungranted });
        },
      ),
    );
  });
});

describe('normalizeScopeCatalog', () => {
  it('adds the reserved scopes, dedupes and sorts', () => {
    expect(normalizeScopeCatalog(['invoices:read', 'keys:read', 'invoices:read', 'billing:*'])).toEqual([
      'billing:*',
      'invoices:read',
      'keys:delete',
      'keys:read',
      'keys:verify',
      'keys:write',
    ]);
    expect(normalizeScopeCatalog([])).toEqual([...RESERVED_SCOPES].sort());
  });

  it('is idempotent and always contains the reserved scopes', () => {
    fc.assert(
      fc.property(fc.array(scopeArb), (list) => {
        const once = normalizeScopeCatalog(list);
        expect(normalizeScopeCatalog(once)).toEqual(once);
        for (const reserved of RESERVED_SCOPES) expect(once).toContain(reserved);
        expect(new Set(once).size).toBe(once.length);
      }),
    );
  });

  it('refuses invalid entries and names them', () => {
    expect(() => normalizeScopeCatalog(['keys:read', 'Bad:scope', ''])).toThrow(/"Bad:scope",""/);
  });
});

describe('isSubsetOfCatalog / scopesOutsideCatalog', () => {
  const catalog = normalizeScopeCatalog(['invoices:read', 'invoices:write', 'reports:*']);

  it.each([
    [[], true],
    [['invoices:read'], true],
    [['invoices:read', 'keys:verify'], true],
    [['reports:*'], true],
    [['reports:export'], true],
    [['invoices:*'], false],
    [['invoices:delete'], false],
    [['admin:*'], false],
    [['invoice:read'], false],
    [['invoices:reader'], false],
    [['Invoices:read'], false],
    [['invoices:'], false],
  ])('%j in the catalog: %s', (scopes, expected) => {
    expect(isSubsetOfCatalog(scopes, catalog)).toBe(expected);
  });

  it('always allows the reserved scopes, even against an unnormalised catalog', () => {
    expect(isSubsetOfCatalog([...RESERVED_SCOPES], [])).toBe(true);
    expect(isSubsetOfCatalog(['keys:*'], [])).toBe(false);
  });

  it('lets a catalog holding admin:* allow only admin:* itself (§4), not made-up scopes', () => {
    expect(isSubsetOfCatalog(['admin:*'], ['admin:*'])).toBe(true);
    expect(scopesOutsideCatalog(['admin:*', 'x:*', 'x:y', 'foo:bar'], ['admin:*'])).toEqual([
      'x:*',
      'x:y',
      'foo:bar',
    ]);
    expect(isSubsetOfCatalog(['X:y'], ['admin:*'])).toBe(false);
  });

  it.each([
    ['reports:*', 'reports:export', true],
    ['reports:*', 'reports:*', true],
    ['reports:*', 'reporting:export', false],
    ['reports:read', 'reports:read', true],
    ['reports:read', 'reports:*', false],
    ['admin:*', 'admin:*', true],
    ['admin:*', 'admin:read', false],
    ['admin:*', 'reports:read', false],
    ['bad', 'bad', false],
  ])('catalogAllows(%j, %j) is %s', (entry, scope, expected) => {
    expect(catalogAllows(entry, scope)).toBe(expected);
  });

  it('lists the offending scopes once, in order', () => {
    expect(
      scopesOutsideCatalog(['invoices:delete', 'invoices:read', 'admin:*', 'invoices:delete'], catalog),
    ).toEqual(['invoices:delete', 'admin:*']);
  });

  it('never lets a key hold what the catalog as a whole does not grant', () => {
    fc.assert(
      fc.property(
        fc.array(scopeArb, { maxLength: 4 }),
        fc.array(scopeArb, { maxLength: 6 }),
        (list, keyScopes) => {
          const space = normalizeScopeCatalog(list);
          if (isSubsetOfCatalog(keyScopes, space)) {
            // Whatever the key's scopes grant, some catalog entry grants too.
            for (const probe of [...keyScopes, 'zz:top', 'keys:*']) {
              if (keyScopes.some((k) => scopeGrants(k, probe))) {
                expect(space.some((c) => scopeGrants(c, probe))).toBe(true);
              }
            }
          }
        },
      ),
    );
  });
});

describe('scopesNotGrantable (scopes never escalate)', () => {
  it.each([
    [['keys:write'], ['admin:*'], ['admin:*']],
    [['keys:write'], ['keys:write'], []],
    [['keys:write', 'tasks:*'], ['tasks:read', 'tasks:*'], []],
    [['tasks:read'], ['tasks:*'], ['tasks:*']],
    [['admin:*'], ['anything:goes', 'x:*', 'admin:*'], []],
    [['keys:write'], ['keys:write', 'keys:delete', 'keys:delete'], ['keys:delete']],
  ])('held %j, requested %j → %j', (held, requested, expected) => {
    expect(scopesNotGrantable(held, requested)).toEqual(expected);
  });

  it('never lets a key grant a scope that grants more than it holds', () => {
    fc.assert(
      fc.property(fc.array(scopeArb, { maxLength: 4 }), fc.array(scopeArb, { maxLength: 4 }), (held, req) => {
        if (scopesNotGrantable(held, req).length > 0) return;
        for (const probe of [...req, 'zz:top', 'keys:*', 'admin:*']) {
          if (req.some((r) => scopeGrants(r, probe)))
            expect(held.some((h) => scopeGrants(h, probe))).toBe(true);
        }
      }),
    );
  });
});
