import { getKey } from '../../../modules/api-key/list-keys.js';
import { setKeyActive } from '../../../modules/api-key/revoke-key.js';
import { updateKey } from '../../../modules/api-key/update-key.js';
import {
  toApiKeyRecord,
  toUpdateKeyInput,
  ZApiKeyRecordSchema,
  ZKeyIdParamsSchema,
  ZUpdateApiKeyBodySchema,
} from '../../api-key-wire.js';
import { EXAMPLE_RECORD } from '../../openapi-examples.js';
import { defineKeyRoute } from '../../rest-route.js';

/**
 * `PATCH /v1/api-keys/{id}`: the §2.2 edits, plus `active` to deactivate or reactivate.
 * Fields left out stay as they are; the edits apply before the (de)activation.
 */
export const updateApiKeyRoute = defineKeyRoute({
  method: 'PATCH',
  path: '/api-keys/{id}',
  operationId: 'updateApiKey',
  summary: 'Update an API key',
  description:
    'Changes name, description, category, scopes, expiry, quotas, rate limit, IP allowlist or auto-renew, ' +
    'and deactivates (`active: false`) or reactivates the key. Fields left out are unchanged. Every ' +
    'API node sees the change within a second.',
  auth: { scope: 'keys:write' },
  params: ZKeyIdParamsSchema,
  body: {
    name: 'UpdateApiKeyRequest',
    schema: ZUpdateApiKeyBodySchema,
    example: { scopes: ['payments:read'], quotas: { daily: 5000, monthly: null }, active: false },
  },
  success: {
    name: 'ApiKey',
    schema: ZApiKeyRecordSchema,
    status: 200,
    description: 'The updated record',
    example: EXAMPLE_RECORD,
  },
  extraErrors: [409],
  handle: async ({ app, service, params, body }) => {
    const { active, ...edits } = body;
    const hasEdits = Object.values(edits).some((value) => value !== undefined);
    let record = hasEdits
      ? await updateKey(service, app.keyChanges, params.id, toUpdateKeyInput(edits))
      : await getKey(service, params.id);
    // A revoked key still goes through the transition, which refuses it (409).
    if (active !== undefined && (active !== record.active || record.status === 'revoked')) {
      record = await setKeyActive(service, app.keyChanges, params.id, active);
    }
    return toApiKeyRecord(record);
  },
});
