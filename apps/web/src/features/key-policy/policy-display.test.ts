import { NO_KEY_POLICY } from '@keysmith/domain';
import { describe, expect, it } from 'vitest';
import {
  describeConsequence,
  describePolicy,
  formFromPolicy,
  type PolicyPreview,
  policyBadges,
  policyFromForm,
  samePolicy,
  summarisePreview,
  validatePolicyForm,
} from './policy-display';

const ORG = { ...NO_KEY_POLICY, maxLifetimeDays: 90, idleDeactivateDays: 60 };

describe('the policy form', () => {
  it('round-trips a policy, with empty fields for no rule', () => {
    const form = formFromPolicy(ORG);
    expect(form).toEqual({
      requireExpiry: false,
      maxLifetimeDays: '90',
      requireIpAllowlistForLive: false,
      idleDeactivateDays: '60',
      rotationReminderDays: '',
    });
    expect(policyFromForm(form)).toEqual(ORG);
    expect(samePolicy(policyFromForm(form), ORG)).toBe(true);
  });

  it('accepts whole days in bounds and empty fields', () => {
    expect(validatePolicyForm(formFromPolicy(ORG), null)).toEqual({});
    const bad = {
      ...formFromPolicy(NO_KEY_POLICY),
      maxLifetimeDays: '0',
      idleDeactivateDays: '1.5',
      rotationReminderDays: 'x',
    };
    expect(Object.keys(validatePolicyForm(bad, null)).sort()).toEqual([
      'idleDeactivateDays',
      'maxLifetimeDays',
      'rotationReminderDays',
    ]);
    expect(
      validatePolicyForm(
        { ...bad, maxLifetimeDays: '3651', idleDeactivateDays: '', rotationReminderDays: ' 30 ' },
        null,
      ),
    ).toEqual({
      maxLifetimeDays: 'Enter a whole number of days from 1 to 3650, or leave it empty',
    });
  });

  it('lets a space only tighten, with the message the server gives', () => {
    const space = { ...formFromPolicy(NO_KEY_POLICY), maxLifetimeDays: '120', idleDeactivateDays: '30' };
    expect(validatePolicyForm(space, ORG)).toEqual({
      maxLifetimeDays:
        'The organization sets the longest key lifetime to 90 days; a space may only tighten it',
    });
    expect(validatePolicyForm({ ...space, maxLifetimeDays: '' }, ORG)).toEqual({});
  });
});

describe('describePolicy', () => {
  it('says each rule in words', () => {
    expect(describePolicy(NO_KEY_POLICY)).toEqual([]);
    expect(
      describePolicy({
        maxLifetimeDays: 1,
        requireExpiry: true,
        idleDeactivateDays: 30,
        rotationReminderDays: 90,
        requireIpAllowlistForLive: true,
      }),
    ).toEqual([
      'Keys must expire within 1 day',
      'Live keys must have an IP allowlist',
      'Keys unused for 30 days are deactivated',
      'Keys older than 90 days are due for rotation',
    ]);
    expect(describePolicy({ ...NO_KEY_POLICY, requireExpiry: true })).toEqual([
      'Keys must have an expiry date',
    ]);
  });
});

describe('policyBadges', () => {
  it('marks keys out of policy and due for rotation, with the reason', () => {
    expect(
      policyBadges({ violations: [], dueForRotation: false, rotationDueAt: null, idleDeactivationAt: null }),
    ).toEqual([]);
    const badges = policyBadges({
      violations: [
        { rule: 'requireExpiry', field: 'expiresAt', message: 'Keys here must have an expiry date' },
      ],
      dueForRotation: true,
      rotationDueAt: '2026-01-01T00:00:00.000Z',
      idleDeactivationAt: null,
    });
    expect(badges.map((b) => [b.label, b.tone])).toEqual([
      ['Out of policy', 'warning'],
      ['Rotation due', 'info'],
    ]);
    expect(badges[0]?.title).toContain('Keys here must have an expiry date. The key keeps working');
  });
});

describe('the preview', () => {
  const now = '2026-06-01T12:00:00.000Z';

  it('says what happens to each key and when', () => {
    expect(
      describeConsequence({ kind: 'deactivate', at: now, rule: null, field: null, message: null }, now),
    ).toEqual({
      text: 'Deactivated: unused for longer than the idle period',
      when: 'When you save',
      tone: 'danger',
    });
    expect(
      describeConsequence(
        { kind: 'deactivate', at: '2026-06-11T12:00:00.000Z', rule: null, field: null, message: null },
        now,
        'UTC',
      ),
    ).toEqual({ text: 'Deactivated unless used before then', when: 'On Jun 11, 2026', tone: 'warning' });
    expect(
      describeConsequence(
        {
          kind: 'violation',
          at: null,
          rule: 'requireExpiry',
          field: 'expiresAt',
          message: 'Keys here must have an expiry date',
        },
        now,
      ),
    ).toEqual({
      text: 'Out of policy: Keys here must have an expiry date',
      when: 'Keeps working',
      tone: 'warning',
    });
  });

  it('sums up the counts, or says that nothing changes', () => {
    const base: PolicyPreview = {
      now,
      keysChecked: 12,
      affected: 0,
      counts: { deactivateNow: 0, deactivateLater: 0, remindNow: 0, remindLater: 0, violations: 0 },
      keys: [],
    };
    expect(summarisePreview(base).title).toBe('No existing key is affected (12 checked)');
    expect(
      summarisePreview({
        ...base,
        affected: 3,
        counts: { deactivateNow: 1, deactivateLater: 1, remindNow: 2, remindLater: 0, violations: 1 },
      }),
    ).toEqual({
      title: '3 keys of 12 affected',
      lines: [
        '1 key will be deactivated when you save',
        '1 key will be deactivated within 30 days unless used',
        '2 keys will be reminded to rotate when you save',
        '1 rule broken by existing keys, which keep working; the next change of that setting, or a roll, must comply',
      ],
    });
  });
});
