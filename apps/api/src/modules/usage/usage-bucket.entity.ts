import { defineEntity, p } from '@mikro-orm/core';

export const BUCKET_GRANULARITIES = ['minute', 'hour', 'total'] as const;

/**
 * Credits a key consumed in one bucket (§3 rolling quotas). Minute buckets back the daily
 * window, hour buckets the weekly and monthly windows, and one `total` row (start 0) the
 * all-time quota. Counters are flushed here in batches and read back after a restart.
 */
export const UsageBucketSchema = defineEntity({
  name: 'UsageBucket',
  tableName: 'usage_buckets',
  primaryKeys: ['keyId', 'granularity', 'bucketStart'],
  indexes: [{ name: 'usage_buckets_org_idx', properties: ['organizationId', 'bucketStart'] }],
  properties: {
    keyId: p.string().length(20).primary(),
    granularity: p.enum([...BUCKET_GRANULARITIES]).primary(),
    bucketStart: p.datetime().primary(),
    organizationId: p.string().length(24),
    credits: p.bigint('number').default(0),
  },
});

export class UsageBucket extends UsageBucketSchema.class {}
UsageBucketSchema.setClass(UsageBucket);
