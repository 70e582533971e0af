import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  idleDeactivationAt,
  idleSince,
  isValidPolicyDays,
  type KeyPolicy,
  keyChangeViolations,
  keyPolicyStatus,
  keyPolicyViolations,
  looserThanOrganization,
  mergeKeyPolicies,
  NO_KEY_POLICY,
  nextRotationReminderAt,
  POLICY_DAY_MS,
  POLICY_PREVIEW_HORIZON_DAYS,
  type PolicyKeyActivity,
  type PolicyKeyShape,
  policyChangeConsequences,
} from './key-policy.js';

const DAY = POLICY_DAY_MS;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

function policy(rules: Partial<KeyPolicy>): KeyPolicy {
  return { ...NO_KEY_POLICY, ...rules };
}

function shape(rules: Partial<PolicyKeyShape> = {}): PolicyKeyShape {
  return { environment: 'live', expiresAt: null, ipAllowlist: [], ...rules };
}

function activity(rules: Partial<PolicyKeyActivity> = {}): PolicyKeyActivity {
  return {
    ...shape(),
    createdAt: NOW - 10 * DAY,
    lastUsedAt: null,
    reactivatedAt: null,
    rotationRemindedAt: null,
    active: true,
    revoked: false,
    retiring: false,
    ...rules,
  };
}

const daysArb = fc.option(fc.integer({ min: 1, max: 3650 }), { nil: null });
const policyArb: fc.Arbitrary<KeyPolicy> = fc.record({
  maxLifetimeDays: daysArb,
  requireExpiry: fc.boolean(),
  idleDeactivateDays: daysArb,
  rotationReminderDays: daysArb,
  requireIpAllowlistForLive: fc.boolean(),
});
const offsetArb = fc.integer({ min: -4000 * DAY, max: 4000 * DAY });
const shapeArb: fc.Arbitrary<PolicyKeyShape> = fc.record({
  environment: fc.constantFrom('live' as const, 'test' as const),
  expiresAt: fc.option(
    offsetArb.map((o) => NOW + o),
    { nil: null },
  ),
  ipAllowlist: fc.constantFrom([], ['10.0.0.0/8'], ['192.0.2.1', '2001:db8::/32']),
});
const activityArb: fc.Arbitrary<PolicyKeyActivity> = fc
  .tuple(
    shapeArb,
    fc.integer({ min: 0, max: 4000 * DAY }),
    fc.option(fc.integer({ min: 0, max: 4000 * DAY }), { nil: null }),
    fc.option(fc.integer({ min: 0, max: 4000 * DAY }), { nil: null }),
    fc.option(fc.integer({ min: 0, max: 4000 * DAY }), { nil: null }),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([s, age, used, reactivated, reminded, active, revoked, retiring]) => {
    const createdAt = NOW - age;
    const after = (ms: number | null) => (ms === null ? null : Math.min(NOW, createdAt + ms));
    return {
      ...s,
      createdAt,
      lastUsedAt: after(used),
      reactivatedAt: after(reactivated),
      rotationRemindedAt: after(reminded),
      active,
      revoked,
      retiring,
    };
  });

describe('isValidPolicyDays', () => {
  it.each([1, 2, 90, 3650])('accepts %d', (n) => expect(isValidPolicyDays(n)).toBe(true));
  it.each([0, -1, 3651, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (n) =>
    expect(isValidPolicyDays(n)).toBe(false),
  );
});

describe('mergeKeyPolicies', () => {
  it('takes each rule at its strictest', () => {
    const org = policy({ maxLifetimeDays: 90, idleDeactivateDays: null, rotationReminderDays: 60 });
    const space = policy({
      maxLifetimeDays: 120,
      idleDeactivateDays: 30,
      rotationReminderDays: 45,
      requireIpAllowlistForLive: true,
    });
    expect(mergeKeyPolicies(org, space)).toEqual({
      maxLifetimeDays: 90,
      requireExpiry: false,
      idleDeactivateDays: 30,
      rotationReminderDays: 45,
      requireIpAllowlistForLive: true,
    });
  });

  it('is the identity with no policies or NO_KEY_POLICY', () => {
    expect(mergeKeyPolicies()).toEqual(NO_KEY_POLICY);
    const p = policy({ requireExpiry: true, idleDeactivateDays: 7 });
    expect(mergeKeyPolicies(p, NO_KEY_POLICY)).toEqual(p);
  });

  it('is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(policyArb, policyArb, policyArb, (a, b, c) => {
        expect(mergeKeyPolicies(a, b)).toEqual(mergeKeyPolicies(b, a));
        expect(mergeKeyPolicies(mergeKeyPolicies(a, b), c)).toEqual(
          mergeKeyPolicies(a, mergeKeyPolicies(b, c)),
        );
        expect(mergeKeyPolicies(a, a)).toEqual(a);
      }),
    );
  });

  it('never loosens: a key that breaks the organization policy breaks the merged one on the same field', () => {
    fc.assert(
      fc.property(policyArb, policyArb, shapeArb, (org, space, key) => {
        const merged = mergeKeyPolicies(org, space);
        const orgFields = keyPolicyViolations(org, key, NOW).map((v) => v.field);
        const mergedFields = keyPolicyViolations(merged, key, NOW).map((v) => v.field);
        for (const field of orgFields) expect(mergedFields).toContain(field);
        expect(looserThanOrganization(org, merged)).toEqual([]);
      }),
    );
  });

  it('brings scheduled actions forward, never back', () => {
    fc.assert(
      fc.property(policyArb, policyArb, activityArb, (org, space, key) => {
        const merged = mergeKeyPolicies(org, space);
        const orgIdle = idleDeactivationAt(org, key, NOW);
        const mergedIdle = idleDeactivationAt(merged, key, NOW);
        if (orgIdle !== null) expect(mergedIdle).not.toBeNull();
        if (orgIdle !== null && mergedIdle !== null) expect(mergedIdle).toBeLessThanOrEqual(orgIdle);
        const orgRemind = nextRotationReminderAt(org, key, NOW);
        const mergedRemind = nextRotationReminderAt(merged, key, NOW);
        if (orgRemind !== null && mergedRemind !== null) expect(mergedRemind).toBeLessThanOrEqual(orgRemind);
      }),
    );
  });
});

describe('looserThanOrganization', () => {
  it('names the number rules a space sets above the organization', () => {
    const org = policy({ maxLifetimeDays: 90, idleDeactivateDays: 30, rotationReminderDays: null });
    const space = policy({ maxLifetimeDays: 120, idleDeactivateDays: 30, rotationReminderDays: 400 });
    expect(looserThanOrganization(org, space)).toEqual([
      {
        field: 'maxLifetimeDays',
        message: 'The organization sets the longest key lifetime to 90 days; a space may only tighten it',
      },
    ]);
  });

  it('never objects to a stricter or unset space rule, nor to flags', () => {
    fc.assert(
      fc.property(policyArb, policyArb, (org, space) => {
        expect(looserThanOrganization(org, mergeKeyPolicies(org, space))).toEqual([]);
        expect(looserThanOrganization(org, NO_KEY_POLICY)).toEqual([]);
      }),
    );
  });
});

describe('keyPolicyViolations', () => {
  const cases: [string, Partial<KeyPolicy>, Partial<PolicyKeyShape>, string[]][] = [
    ['no policy, no expiry', {}, {}, []],
    ['require expiry, none', { requireExpiry: true }, {}, ['requireExpiry:expiresAt']],
    ['require expiry, far future', { requireExpiry: true }, { expiresAt: NOW + 9000 * DAY }, []],
    ['max lifetime, none', { maxLifetimeDays: 90 }, {}, ['maxLifetimeDays:expiresAt']],
    [
      'max lifetime + require expiry, none',
      { maxLifetimeDays: 90, requireExpiry: true },
      {},
      ['maxLifetimeDays:expiresAt'],
    ],
    ['max lifetime, exactly at the limit', { maxLifetimeDays: 90 }, { expiresAt: NOW + 90 * DAY }, []],
    [
      'max lifetime, 1 ms over',
      { maxLifetimeDays: 90 },
      { expiresAt: NOW + 90 * DAY + 1 },
      ['maxLifetimeDays:expiresAt'],
    ],
    ['max lifetime, within', { maxLifetimeDays: 90 }, { expiresAt: NOW + DAY }, []],
    [
      'allowlist for live, live without',
      { requireIpAllowlistForLive: true },
      {},
      ['requireIpAllowlistForLive:ipAllowlist'],
    ],
    ['allowlist for live, live with', { requireIpAllowlistForLive: true }, { ipAllowlist: ['10.0.0.1'] }, []],
    ['allowlist for live, test without', { requireIpAllowlistForLive: true }, { environment: 'test' }, []],
    [
      'every rule broken',
      { maxLifetimeDays: 30, requireIpAllowlistForLive: true },
      { expiresAt: NOW + 31 * DAY },
      ['maxLifetimeDays:expiresAt', 'requireIpAllowlistForLive:ipAllowlist'],
    ],
  ];
  it.each(cases)('%s', (_name, rules, key, expected) => {
    expect(keyPolicyViolations(policy(rules), shape(key), NOW).map((v) => `${v.rule}:${v.field}`)).toEqual(
      expected,
    );
  });

  it('says what to do, with the latest allowed day', () => {
    const [v] = keyPolicyViolations(policy({ maxLifetimeDays: 1 }), shape({ expiresAt: NOW + 5 * DAY }), NOW);
    expect(v?.message).toBe('Keys here must expire within 1 day (on 2026-06-02 at the latest)');
    const [none] = keyPolicyViolations(policy({ maxLifetimeDays: 90 }), shape(), NOW);
    expect(none?.message).toBe('Keys here must expire within 90 days: set an expiry date');
  });

  it('reports at most one violation per field, and none without rules', () => {
    fc.assert(
      fc.property(policyArb, shapeArb, (p, key) => {
        const fields = keyPolicyViolations(p, key, NOW).map((v) => v.field);
        expect(new Set(fields).size).toBe(fields.length);
        expect(keyPolicyViolations(NO_KEY_POLICY, key, NOW)).toEqual([]);
      }),
    );
  });
});

describe('keyChangeViolations', () => {
  const strict = policy({ maxLifetimeDays: 90, requireIpAllowlistForLive: true });
  const legacy = shape({ expiresAt: null, ipAllowlist: [] });

  it('lets an edit that changes neither expiry nor allowlist through, whatever the key', () => {
    fc.assert(
      fc.property(policyArb, shapeArb, (p, key) => {
        expect(keyChangeViolations(p, key, { ...key }, NOW)).toEqual([]);
      }),
    );
  });

  it('checks the fields an edit changes, and only those', () => {
    expect(keyChangeViolations(strict, legacy, { ...legacy, ipAllowlist: ['10.0.0.1'] }, NOW)).toEqual([]);
    expect(
      keyChangeViolations(strict, legacy, { ...legacy, expiresAt: NOW + 200 * DAY }, NOW).map((v) => v.field),
    ).toEqual(['expiresAt']);
    expect(keyChangeViolations(strict, legacy, { ...legacy, expiresAt: NOW + 20 * DAY }, NOW)).toEqual([]);
    const withList = shape({ expiresAt: NOW + DAY, ipAllowlist: ['10.0.0.1'] });
    expect(
      keyChangeViolations(strict, withList, { ...withList, ipAllowlist: [] }, NOW).map((v) => v.field),
    ).toEqual(['ipAllowlist']);
  });

  it('is the full check restricted to changed fields', () => {
    fc.assert(
      fc.property(policyArb, shapeArb, shapeArb, (p, before, after) => {
        const full = keyPolicyViolations(p, after, NOW);
        const change = keyChangeViolations(p, before, after, NOW);
        for (const v of change) expect(full).toContainEqual(v);
        if (before.expiresAt !== after.expiresAt) {
          expect(change.filter((v) => v.field === 'expiresAt')).toEqual(
            full.filter((v) => v.field === 'expiresAt'),
          );
        }
      }),
    );
  });
});

describe('scheduled rules', () => {
  it('starts the idle clock at the latest of creation, last use and reactivation', () => {
    expect(idleSince({ createdAt: 10, lastUsedAt: null, reactivatedAt: null })).toBe(10);
    expect(idleSince({ createdAt: 10, lastUsedAt: 30, reactivatedAt: 20 })).toBe(30);
    expect(idleSince({ createdAt: 10, lastUsedAt: 15, reactivatedAt: 40 })).toBe(40);
  });

  it('deactivates idle active keys, never revoked, retiring, expired or inactive ones', () => {
    const idle = policy({ idleDeactivateDays: 30 });
    const key = activity({ createdAt: NOW - 100 * DAY, lastUsedAt: NOW - 40 * DAY });
    expect(idleDeactivationAt(idle, key, NOW)).toBe(NOW - 10 * DAY);
    expect(idleDeactivationAt(NO_KEY_POLICY, key, NOW)).toBeNull();
    expect(idleDeactivationAt(idle, { ...key, active: false }, NOW)).toBeNull();
    expect(idleDeactivationAt(idle, { ...key, revoked: true }, NOW)).toBeNull();
    expect(idleDeactivationAt(idle, { ...key, retiring: true }, NOW)).toBeNull();
    expect(idleDeactivationAt(idle, { ...key, expiresAt: NOW }, NOW)).toBeNull();
    expect(idleDeactivationAt(idle, { ...key, expiresAt: NOW + 1 }, NOW)).toBe(NOW - 10 * DAY);
  });

  it('reminds one rotation period after creation, then one period after each reminder', () => {
    const rotate = policy({ rotationReminderDays: 90 });
    const key = activity({ createdAt: NOW - 100 * DAY });
    expect(nextRotationReminderAt(rotate, key, NOW)).toBe(NOW - 10 * DAY);
    const reminded = { ...key, rotationRemindedAt: NOW - 10 * DAY };
    expect(nextRotationReminderAt(rotate, reminded, NOW)).toBe(NOW + 80 * DAY);
    expect(nextRotationReminderAt(rotate, { ...key, active: false }, NOW)).toBeNull();
  });

  it('never reminds twice within one period', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3650 }), activityArb, (days, key) => {
        const at = nextRotationReminderAt(policy({ rotationReminderDays: days }), key, NOW);
        if (at !== null) expect(at - (key.rotationRemindedAt ?? key.createdAt)).toBe(days * DAY);
      }),
    );
  });
});

describe('keyPolicyStatus', () => {
  it('shows due for rotation, out of policy and the deactivation date', () => {
    const p = policy({ rotationReminderDays: 90, idleDeactivateDays: 60, requireExpiry: true });
    const status = keyPolicyStatus(
      p,
      activity({ createdAt: NOW - 91 * DAY, lastUsedAt: NOW - 5 * DAY }),
      NOW,
    );
    expect(status).toEqual({
      violations: [
        { rule: 'requireExpiry', field: 'expiresAt', message: 'Keys here must have an expiry date' },
      ],
      dueForRotation: true,
      rotationDueAt: NOW - DAY,
      idleDeactivationAt: NOW + 55 * DAY,
    });
  });

  it('says nothing about revoked keys', () => {
    const p = policy({ rotationReminderDays: 1, idleDeactivateDays: 1, requireExpiry: true });
    expect(keyPolicyStatus(p, activity({ revoked: true }), NOW)).toEqual({
      violations: [],
      dueForRotation: false,
      rotationDueAt: null,
      idleDeactivationAt: null,
    });
  });
});

describe('policyChangeConsequences', () => {
  it('lists nothing when the policy does not change', () => {
    fc.assert(
      fc.property(policyArb, activityArb, (p, key) => {
        expect(policyChangeConsequences(p, p, key, NOW)).toEqual([]);
      }),
    );
  });

  it('lists nothing when the policy only loosens', () => {
    fc.assert(
      fc.property(policyArb, policyArb, activityArb, (loose, extra, key) => {
        const strict = mergeKeyPolicies(loose, extra);
        expect(policyChangeConsequences(strict, loose, key, NOW)).toEqual([]);
      }),
    );
  });

  it('does not call a key without expiry newly out of policy when a lifetime rule loosens to requireExpiry', () => {
    // Found by the property above (seed -465291452): the key broke `maxLifetimeDays` before and
    // breaks `requireExpiry` after, which is the same missing expiry.
    const key = activity({ expiresAt: null });
    expect(
      policyChangeConsequences(
        policy({ requireExpiry: true, maxLifetimeDays: 1 }),
        policy({ requireExpiry: true }),
        key,
        NOW,
      ),
    ).toEqual([]);
  });

  it('says when an idle key is deactivated: at once when already idle too long, or on its day', () => {
    const key = activity({ createdAt: NOW - 200 * DAY, lastUsedAt: NOW - 45 * DAY });
    expect(policyChangeConsequences(NO_KEY_POLICY, policy({ idleDeactivateDays: 30 }), key, NOW)).toEqual([
      { kind: 'deactivate', at: NOW },
    ]);
    expect(policyChangeConsequences(NO_KEY_POLICY, policy({ idleDeactivateDays: 60 }), key, NOW)).toEqual([
      { kind: 'deactivate', at: NOW + 15 * DAY },
    ]);
    // Beyond the preview's horizon: not listed.
    const far = POLICY_PREVIEW_HORIZON_DAYS + 46;
    expect(policyChangeConsequences(NO_KEY_POLICY, policy({ idleDeactivateDays: far }), key, NOW)).toEqual(
      [],
    );
  });

  it('lists new violations but not ones the key already had', () => {
    const key = activity({ expiresAt: null, ipAllowlist: [] });
    expect(
      policyChangeConsequences(
        policy({ requireExpiry: true }),
        policy({ maxLifetimeDays: 90, requireIpAllowlistForLive: true }),
        key,
        NOW,
      ).map((c) => (c.kind === 'violation' ? c.rule : c.kind)),
    ).toEqual(['maxLifetimeDays', 'requireIpAllowlistForLive']);
    expect(
      policyChangeConsequences(policy({ maxLifetimeDays: 90 }), policy({ maxLifetimeDays: 30 }), key, NOW),
    ).toEqual([]);
  });

  it('never schedules anything in the past or beyond the horizon', () => {
    fc.assert(
      fc.property(policyArb, policyArb, activityArb, (a, b, key) => {
        for (const c of policyChangeConsequences(a, b, key, NOW)) {
          if (c.kind === 'violation') continue;
          expect(c.at).toBeGreaterThanOrEqual(NOW);
          expect(c.at).toBeLessThanOrEqual(NOW + POLICY_PREVIEW_HORIZON_DAYS * DAY);
        }
      }),
    );
  });
});
