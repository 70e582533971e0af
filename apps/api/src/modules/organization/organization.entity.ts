import { defineEntity, p } from '@mikro-orm/core';

export const PLANS = ['free', 'pro', 'team', 'enterprise'] as const;
export type TPlan = (typeof PLANS)[number];

/** A tenant. Every tenant-owned row carries its id. */
export const OrganizationSchema = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: p.string().primary().length(24),
    name: p.string().length(128),
    slug: p.string().length(48).unique(),
    plan: p.enum([...PLANS]).default('free'),
    keyPrefix: p.string().length(8).default('sk'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Organization extends OrganizationSchema.class {}
OrganizationSchema.setClass(Organization);
