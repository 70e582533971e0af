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

/**
 * A `keys:verify` caller's own calls to `POST /v1/keys/verify`, per minute and answer code (§5):
 * the caller is neither rate-limited nor metered, and its calls are not logged row by row (the
 * verified key's request gets the one row); these counts are what its usage shows instead.
 */
export const VerifyCallCountSchema = defineEntity({
  name: 'VerifyCallCount',
  tableName: 'verify_calls',
  primaryKeys: ['keyId', 'minute', 'code'],
  indexes: [{ name: 'verify_calls_minute_idx', properties: ['minute'] }],
  properties: {
    keyId: p.string().length(20).primary(),
    minute: p.datetime().primary(),
    code: p.string().length(16).primary(),
    organizationId: p.string().length(24),
    count: p.integer(),
  },
});

export class VerifyCallCount extends VerifyCallCountSchema.class {}
VerifyCallCountSchema.setClass(VerifyCallCount);
