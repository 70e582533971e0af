import { checksumBase62, redactApiKey } from '@keysmith/domain';
import type { z } from 'zod';
import type { TApiKeyRecord, ZRequestLogSchema } from './api-key-wire.js';

/**
 * Example answers shown in the OpenAPI document and in `docs/api.md`. A test parses each
 * with its response schema, so an example can never show a field the API does not send.
 */
const EXAMPLE_KEY_BODY = 'sk_live_7Hq2mX9aBc3dEf4G.N8rTq0cYw3Lk5Zp2Vb7Xs1Jh9Gd4Ff6Q';
/** A well-formed key (valid checksum) that was never issued: `sk_live_7Hq2mX9aBc3dEf4G.…3n7tmH`. */
export const EXAMPLE_KEY = EXAMPLE_KEY_BODY + checksumBase62(EXAMPLE_KEY_BODY);

export const EXAMPLE_RECORD: TApiKeyRecord = {
  id: 'key_7Hq2mX9aBc3dEf4G',
  name: 'Billing backend',
  description: 'Charges and refunds from the billing service',
  prefix: redactApiKey(EXAMPLE_KEY),
  space_id: 'spc_4kP9sW2xLm7Qa1Zc',
  owner: { type: 'key', id: 'key_R00tK3yAdm1nXyZ0' },
  category: 'production',
  environment: 'live',
  scopes: ['payments:read', 'payments:write'],
  status: 'active',
  active: true,
  expires_at: '2027-01-01T00:00:00.000Z',
  revoked_at: null,
  quotas: { total: null, daily: 10000, weekly: null, monthly: 250000 },
  rate_limit: { per_second: 10, per_minute: 300 },
  ip_allowlist: ['203.0.113.0/24'],
  auto_renew: false,
  grace_ends_at: null,
  rolled_to_id: null,
  rolled_from_id: null,
  created_at: '2026-05-04T09:12:45.120Z',
  updated_at: '2026-05-04T09:12:45.120Z',
  last_used_at: '2026-05-06T17:03:11.408Z',
  last_used_ip: '203.0.113.7',
};

export const EXAMPLE_LOG: z.output<typeof ZRequestLogSchema> = {
  id: '48213',
  time: '2026-05-06T17:03:11.408Z',
  method: 'GET',
  endpoint: '/v1/api-keys/:id',
  status: 200,
  duration_ms: 3.2,
  ip: '203.0.113.7',
  credits: 1,
  code: 'VALID',
};
