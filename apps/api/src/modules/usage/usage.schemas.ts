import { PLANS, QUOTA_WINDOW_NAMES } from '@keysmith/domain';
import { z } from 'zod';
import { ZKeyRefSchema } from '../api-key/api-key.schemas.js';

/** One configured quota window, as the API enforces it at `asOf`. */
export const ZQuotaWindowUsageSchema = z.object({
  window: z.enum(QUOTA_WINDOW_NAMES),
  limit: z.number(),
  used: z.number(),
  remaining: z.number(),
  /** When the oldest counted credits leave the window (ISO); null when nothing is used or for `total`. */
  nextFreeAt: z.string().nullable(),
});
export type TQuotaWindowUsage = z.infer<typeof ZQuotaWindowUsageSchema>;

export const ZKeyUsageSchema = z.object({
  keyId: z.string(),
  asOf: z.string(),
  /** Configured windows only, in the §3 order (total, daily, weekly, monthly). */
  windows: z.array(ZQuotaWindowUsageSchema),
});
export type TKeyUsage = z.infer<typeof ZKeyUsageSchema>;

export const USAGE_RANGES = ['24h', '7d', '30d'] as const;
export type TUsageRange = (typeof USAGE_RANGES)[number];

export const ZKeySeriesInputSchema = ZKeyRefSchema.extend({ range: z.enum(USAGE_RANGES) });

export const ZUsagePointSchema = z.object({
  /** Start of the bucket (ISO, UTC hour or UTC day). */
  start: z.string(),
  admitted: z.number(),
  refused: z.number(),
  /** Credits charged by the admitted requests. */
  credits: z.number(),
});

export const ZKeySeriesSchema = z.object({
  keyId: z.string(),
  range: z.enum(USAGE_RANGES),
  bucket: z.enum(['hour', 'day']),
  from: z.string(),
  to: z.string(),
  /** Every bucket of the range, oldest first, zero-filled. */
  points: z.array(ZUsagePointSchema),
  totals: z.object({ admitted: z.number(), refused: z.number(), credits: z.number() }),
  /**
   * The key's own calls to `POST /v1/keys/verify` (a `keys:verify` caller): per bucket, keys it
   * verified as valid and refused, and the total per answer code. Null when it made none.
   */
  verifyCalls: z
    .object({
      calls: z.number(),
      byCode: z.record(z.string(), z.number()),
      points: z.array(z.object({ start: z.string(), valid: z.number(), refused: z.number() })),
    })
    .nullable(),
});
export type TKeySeries = z.infer<typeof ZKeySeriesSchema>;

const ZRateHeadroomSchema = z.object({
  /** The plan's cap, across all keys of the organization. */
  cap: z.number(),
  /** Most requests the rate limiter let through in one calendar second (minute) of the last hour. */
  peak: z.number(),
  /** `cap - peak`, never below 0. */
  headroom: z.number(),
});

export const ZUsageOverviewSchema = z.object({
  asOf: z.string(),
  plan: z.enum(PLANS),
  /** Top 10 keys by requests in the last 24 h (visible ones only). */
  busiestKeys: z.array(
    z.object({
      keyId: z.string(),
      name: z.string().nullable(),
      preview: z.string().nullable(),
      space: z.object({ id: z.string(), name: z.string(), logoColor: z.string() }).nullable(),
      requests: z.number(),
      admitted: z.number(),
      refused: z.number(),
    }),
  ),
  /** Requests of visible keys in the last 24 h. */
  last24h: z.object({ requests: z.number(), admitted: z.number(), refused: z.number() }),
  /** The organization's plan caps against its busiest second and minute of the last hour. */
  headroom: z.object({
    perSecond: ZRateHeadroomSchema,
    perMinute: ZRateHeadroomSchema,
    /** Requests refused with RATE_LIMITED in the last hour. */
    rateLimited: z.number(),
  }),
  keys: z.object({ total: z.number(), active: z.number() }),
});
export type TUsageOverview = z.infer<typeof ZUsageOverviewSchema>;
