import { PLANS, type Plan } from '@keysmith/domain';
import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../../db/entity-fields.js';

/** The plans of §3; the domain package owns the list and each plan's limits. */
export { PLANS };
export type TPlan = Plan;

/** A tenant. Every tenant-owned row carries its id. */
export const OrganizationSchema = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  /** A plan change sets every key's rate caps: all of the organization's cached keys are stale (decision 0015). */
  triggers: [
    {
      name: 'organizations_plan_changed',
      timing: 'after',
      events: ['update'],
      body: 'if old.plan is distinct from new.plan then insert into key_changes (organization_id, key_id) values (new.id, null); end if; return new;',
    },
  ],
  properties: {
    id: p.string().primary().length(24),
    name: p.string().length(128),
    slug: p.string().length(48).unique(),
    plan: p.enum([...PLANS]).default('free'),
    keyPrefix: p.string().length(8).default('sk'),
    ...timestamps(),
  },
});

export class Organization extends OrganizationSchema.class {}
OrganizationSchema.setClass(Organization);
