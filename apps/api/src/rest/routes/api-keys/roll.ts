import { rollKey } from '../../../modules/api-key/roll-key.js';
import {
  toApiKeyRecord,
  ZCreatedApiKeySchema,
  ZKeyIdParamsSchema,
  ZRollApiKeyBodySchema,
} from '../../api-key-wire.js';
import { EXAMPLE_KEY, EXAMPLE_RECORD } from '../../openapi-examples.js';
import { defineKeyRoute } from '../../rest-route.js';

/**
 * `POST /v1/api-keys/{id}/roll`: issues the replacement (shown once); the old key keeps
 * working for the grace period and then counts as revoked.
 */
export const rollApiKeyRoute = defineKeyRoute({
  method: 'POST',
  path: '/api-keys/{id}/roll',
  operationId: 'rollApiKey',
  summary: 'Roll an API key',
  description:
    'Creates a replacement with the same space, category, environment, scopes, quotas, rate limit and ' +
    'allowlist, and the same name (the old key is renamed). The old key keeps working for ' +
    '`grace_period_seconds` (default 24 h, at most 7 days) and is then revoked. The full new key is in ' +
    'this answer only.',
  auth: { scope: 'keys:write' },
  params: ZKeyIdParamsSchema,
  body: { name: 'RollApiKeyRequest', schema: ZRollApiKeyBodySchema, example: { grace_period_seconds: 3600 } },
  success: {
    name: 'CreatedApiKey',
    schema: ZCreatedApiKeySchema,
    status: 201,
    description: 'The replacement key (shown once) and its record',
    example: {
      key: EXAMPLE_KEY,
      ...EXAMPLE_RECORD,
      rolled_from_id: 'key_Old0K3y1d2b3C4d5',
      last_used_at: null,
      last_used_ip: null,
    },
  },
  extraErrors: [409],
  handle: async ({ app, service, params, body }) => {
    const rolled = await rollKey(service, app.keyChanges, params.id, body.grace_period_seconds);
    return { key: rolled.key, ...toApiKeyRecord(rolled.record) };
  },
});
