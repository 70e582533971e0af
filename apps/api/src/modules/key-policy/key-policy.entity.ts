import { LEAK_RESPONSES } from '@keysmith/domain';
import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../../db/entity-fields.js';
import { Organization } from '../organization/organization.entity.js';
import { Space } from '../space/space.entity.js';

/**
 * Key policy rules (§10) of an organization (`space` null: its defaults, one row at most) or
 * of one space (may only tighten the defaults). Absent rows mean "no rules". The effective
 * policy of a key is the domain's `mergeKeyPolicies(organization, space)`, which the scheduler
 * computes in SQL as `min(...)` / `bool_or(...)` over the two rows.
 *
 * `leakResponse` (§11) is set on the organization row only: what a confirmed leak does.
 */
export const KeyPolicyRecordSchema = defineEntity({
  name: 'KeyPolicyRecord',
  tableName: 'key_policies',
  uniques: [{ name: 'key_policies_org_space_unique', properties: ['organization', 'space'] }],
  indexes: [
    {
      name: 'key_policies_org_default_unique',
      expression:
        'create unique index "key_policies_org_default_unique" on "key_policies" ("organization_id") where "space_id" is null',
    },
  ],
  properties: {
    id: p.string().primary().length(24),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    space: () => p.manyToOne(Space).deleteRule('cascade').nullable(),
    maxLifetimeDays: p.integer().nullable(),
    requireExpiry: p.boolean().default(false),
    idleDeactivateDays: p.integer().nullable(),
    rotationReminderDays: p.integer().nullable(),
    requireIpAllowlistForLive: p.boolean().default(false),
    leakResponse: p.enum([...LEAK_RESPONSES]).nullable(),
    ...timestamps(),
  },
});

export class KeyPolicyRecord extends KeyPolicyRecordSchema.class {}
KeyPolicyRecordSchema.setClass(KeyPolicyRecord);
