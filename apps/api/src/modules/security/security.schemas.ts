import { isValidIp } from '@keysmith/domain';
import { z } from 'zod';
import { ZInstantSchema } from '../request-log/request-log.schemas.js';
import { SECURITY_EVENT_KINDS } from './security-event.entity.js';

export const ZListSecurityEventsSchema = z.object({
  kind: z.enum(SECURITY_EVENT_KINDS).optional(),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TListSecurityEvents = z.infer<typeof ZListSecurityEventsSchema>;

export const ZSecurityEventSchema = z.object({
  id: z.string(),
  kind: z.enum(SECURITY_EVENT_KINDS),
  createdAt: z.string(),
  ip: z.string().nullable(),
  keyId: z.string().nullable(),
  keyName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type TSecurityEvent = z.infer<typeof ZSecurityEventSchema>;

export const ZSecurityEventPageSchema = z.object({
  items: z.array(ZSecurityEventSchema),
  nextCursor: z.string().nullable(),
});
export type TSecurityEventPage = z.infer<typeof ZSecurityEventPageSchema>;

export const ZBlockedIpSchema = z.object({
  ip: z.string(),
  /**
   * `organization`: blocked for this organization's verify calls only (its backend reported the
   * failed attempts); `global`: blocked everywhere (direct calls naming this organization's key).
   */
  scope: z.enum(['organization', 'global']),
  /** When the block ends (ISO), as the counters hold it now. */
  until: z.string(),
  blockedAt: z.string(),
  failures: z.number().nullable(),
  /** The key of this organization whose id the failing requests named, if any. */
  keyId: z.string().nullable(),
});
export const ZBlockedIpsSchema = z.object({ items: z.array(ZBlockedIpSchema) });
export type TBlockedIps = z.infer<typeof ZBlockedIpsSchema>;

export const ZUnblockIpSchema = z.object({
  ip: z.string().trim().refine(isValidIp, { message: 'Enter an IPv4 or IPv6 address' }),
});

export const ZUnblockedIpSchema = z.object({ ip: z.string(), unblocked: z.literal(true) });

export const ZFailedAuthInputSchema = z.object({
  /** Inclusive; defaults to 24 hours before `to`. */
  from: ZInstantSchema.optional(),
  /** Exclusive; defaults to now. */
  to: ZInstantSchema.optional(),
  /** Only this caller IP. */
  ip: z.string().trim().refine(isValidIp, { message: 'Enter an IPv4 or IPv6 address' }).optional(),
  /** Only attempts that named this key id. */
  keyId: z.string().trim().min(1).max(64).optional(),
});

export const ZFailedAuthSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Per caller IP, most failures first (at most 100 IPs). */
  items: z.array(
    z.object({
      ip: z.string(),
      failures: z.number(),
      /** Distinct keys (or key ids, for made-up or wrong-secret keys) named by the failing requests. */
      keys: z.number(),
      /** Up to ten of those key ids, most named first. */
      keyIds: z.array(z.string()),
      firstAt: z.string(),
      lastAt: z.string(),
      /** Failures per outcome code: MISSING and INVALID (before any key is known) and refusals of known keys. */
      codes: z.record(z.string(), z.number()),
      /** When the IP's block ends (ISO) if it is blocked now, for this organization or everywhere. */
      blockedUntil: z.string().nullable(),
    }),
  ),
});
export type TFailedAuth = z.infer<typeof ZFailedAuthSchema>;

export const ZRateLimitHitsInputSchema = z.object({
  from: ZInstantSchema.optional(),
  to: ZInstantSchema.optional(),
  keyId: z.string().trim().min(1).max(64).optional(),
});

/** 429 and quota refusals per key over time, hour by hour (seed 002: monitor rate-limit hits). */
export const ZRateLimitHitsSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Bucket width in ms (one hour, or one day for ranges over a week). */
  bucketMs: z.number(),
  keys: z.array(
    z.object({
      keyId: z.string(),
      keyName: z.string().nullable(),
      rateLimited: z.number(),
      quotaExceeded: z.number(),
      /** Buckets with hits: start (ISO) and counts. */
      series: z.array(z.object({ at: z.string(), rateLimited: z.number(), quotaExceeded: z.number() })),
    }),
  ),
});
export type TRateLimitHits = z.infer<typeof ZRateLimitHitsSchema>;
