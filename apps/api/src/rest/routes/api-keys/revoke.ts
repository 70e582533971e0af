import { getKey } from '../../../modules/api-key/list-keys.js';
import { revokeKey } from '../../../modules/api-key/revoke-key.js';
import { toApiKeyRecord, ZApiKeyRecordSchema, ZKeyIdParamsSchema } from '../../api-key-wire.js';
import { EXAMPLE_RECORD } from '../../openapi-examples.js';
import { defineKeyRoute } from '../../rest-route.js';

/**
 * `DELETE /v1/api-keys/{id}`: revokes the key, permanently; the record and its history stay.
 * Idempotent: deleting a key that is already revoked answers its record again.
 */
export const revokeApiKeyRoute = defineKeyRoute({
  method: 'DELETE',
  path: '/api-keys/{id}',
  operationId: 'revokeApiKey',
  summary: 'Revoke an API key',
  description:
    'Revokes the key permanently: from now on it answers 401 `Revoked API Key` on every API node. The ' +
    'record and its request logs are kept. Repeating the call answers the same revoked record.',
  auth: { scope: 'keys:delete' },
  params: ZKeyIdParamsSchema,
  success: {
    name: 'ApiKey',
    schema: ZApiKeyRecordSchema,
    status: 200,
    description: 'The revoked record',
    example: { ...EXAMPLE_RECORD, status: 'revoked', revoked_at: '2026-05-07T08:00:00.000Z' },
  },
  handle: async ({ app, service, params }) => {
    const current = await getKey(service, params.id);
    if (current.status === 'revoked') return toApiKeyRecord(current);
    return toApiKeyRecord(await revokeKey(service, app.keyChanges, params.id));
  },
});
