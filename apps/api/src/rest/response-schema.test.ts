import fc from 'fast-check';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { responseJsonSchema } from './response-schema.js';
import { type TVerifyResponse, ZRateLimitResponseSchema, ZVerifyResponseSchema } from './rest-schemas.js';

/**
 * The compiled response serializers write exactly what `JSON.stringify` of the zod-parsed value
 * would: same fields, same values, nulls kept, nothing extra.
 */
const text = fc.string({ maxLength: 24 });
const iso = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
const windowArb = fc.record({
  limit: fc.nat(),
  used: fc.nat(),
  remaining: fc.nat(),
  reset_at: fc.option(iso, { nil: null }),
});
const verifyArb: fc.Arbitrary<TVerifyResponse> = fc.record({
  valid: fc.boolean(),
  code: fc.constantFrom('VALID', 'INVALID', 'REVOKED', 'RATE_LIMITED', 'QUOTA_EXCEEDED'),
  key_id: fc.option(text, { nil: null }),
  space_id: fc.option(text, { nil: null }),
  environment: fc.constantFrom('live' as const, 'test' as const, null),
  scopes: fc.array(text, { maxLength: 4 }),
  expires_at: fc.option(iso, { nil: null }),
  quotas: fc.dictionary(fc.constantFrom('total', 'daily', 'weekly', 'monthly'), windowArb, { maxKeys: 4 }),
  rate_limit: fc.option(fc.record({ limit: fc.nat(), remaining: fc.nat(), reset: fc.nat() }), { nil: null }),
});

async function serialize(schema: Parameters<typeof responseJsonSchema>[0], value: unknown): Promise<string> {
  const server = Fastify();
  server.get('/x', { schema: { response: { 200: responseJsonSchema(schema) } } }, async () => value);
  const res = await server.inject({ method: 'GET', url: '/x' });
  await server.close();
  return res.body;
}

describe('compiled response serializers', () => {
  it('write every verify answer exactly as JSON.stringify would', async () => {
    await fc.assert(
      fc.asyncProperty(verifyArb, async (value) => {
        const body = await serialize(ZVerifyResponseSchema, { ...value, extra: 'never sent' });
        expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(ZVerifyResponseSchema.parse(value))));
      }),
      { numRuns: 60 },
    );
  });

  it('write the rate-limit answer exactly', async () => {
    const value = { limit: 300, remaining: 12, reset: 1_800_000_000, reset_at: '2027-01-15T08:00:00.000Z' };
    expect(JSON.parse(await serialize(ZRateLimitResponseSchema, value))).toEqual(value);
  });
});
