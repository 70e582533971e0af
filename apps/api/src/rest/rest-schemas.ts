import { isValidIp, isValidScope } from '@keysmith/domain';
import { z } from 'zod';

/**
 * zod schemas of the `/v1` wire format (snake_case, §5). The handlers validate with them and
 * the OpenAPI document is generated from them, so the two cannot drift apart.
 */
export const ZVerifyBodySchema = z.strictObject({
  key: z.string().max(256, 'key is too long'),
  scopes: z
    .array(z.string().refine(isValidScope, { message: 'Scopes look like resource:action' }))
    .max(100)
    .optional(),
  cost: z.number().int('cost must be a whole number').min(0).max(1000).optional(),
  endpoint: z.string().max(512).optional(),
  ip: z.string().refine(isValidIp, { message: 'Enter an IPv4 or IPv6 address' }).optional(),
});
export type TVerifyBody = z.infer<typeof ZVerifyBodySchema>;

export const ZQuotaWindowStatusSchema = z.object({
  limit: z.number(),
  used: z.number(),
  remaining: z.number(),
  reset_at: z.string().nullable(),
});

export const ZRateLimitStatusSchema = z.object({
  limit: z.number(),
  remaining: z.number(),
  reset: z.number().describe('Unix time (seconds) when remaining next grows'),
});

export const ZVerifyResponseSchema = z.object({
  valid: z.boolean(),
  code: z
    .string()
    .describe(
      'VALID or a refusal code: IP_BLOCKED, INVALID, REVOKED, INACTIVE, EXPIRED, IP_NOT_ALLOWED, FORBIDDEN, RATE_LIMITED, QUOTA_EXCEEDED',
    ),
  key_id: z.string().nullable(),
  space_id: z.string().nullable(),
  environment: z.enum(['live', 'test']).nullable(),
  scopes: z.array(z.string()),
  expires_at: z.string().nullable(),
  quotas: z.partialRecord(z.enum(['total', 'daily', 'weekly', 'monthly']), ZQuotaWindowStatusSchema),
  rate_limit: ZRateLimitStatusSchema.nullable(),
});
export type TVerifyResponse = z.infer<typeof ZVerifyResponseSchema>;

export const ZRateLimitResponseSchema = z.object({
  limit: z.number(),
  remaining: z.number(),
  reset: z.number(),
  reset_at: z.string(),
});

export const ZErrorBodySchema = z.object({
  error: z.string(),
  code: z.string(),
  request_id: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});

/**
 * First message per field (snake_case dotted path, e.g. `rate_limit.per_second`), as the §5
 * `fields` object. Each unknown field of a strict body gets its own entry, so a client that
 * sends `rateLimit` instead of `rate_limit` is told which name was not understood.
 */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const name of issue.keys) fields[[...issue.path, name].join('.')] ??= 'Unknown field';
      continue;
    }
    const key = issue.path.join('.') || 'body';
    fields[key] ??= issue.message;
  }
  return fields;
}
