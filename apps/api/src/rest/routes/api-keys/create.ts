import { AppError } from '../../../errors.js';
import { createKey } from '../../../modules/api-key/create-key.js';
import {
  toApiKeyRecord,
  toCreateKeyInput,
  ZCreateApiKeyBodySchema,
  ZCreatedApiKeySchema,
} from '../../api-key-wire.js';
import { EXAMPLE_KEY, EXAMPLE_RECORD } from '../../openapi-examples.js';
import { defineKeyRoute } from '../../rest-route.js';

/**
 * `POST /v1/api-keys`: issues a key in the caller's space (or, for an `admin:*` key, in the
 * space it names). The full key is in this answer only.
 */
export const createApiKeyRoute = defineKeyRoute({
  method: 'POST',
  path: '/api-keys',
  operationId: 'createApiKey',
  summary: 'Create an API key',
  description:
    "Creates a key in the caller's space, or in `space_id` when the caller holds `admin:*`. The answer " +
    'is the record plus `key`, the full key, which is shown only here.',
  auth: { scope: 'keys:write' },
  body: {
    name: 'CreateApiKeyRequest',
    schema: ZCreateApiKeyBodySchema,
    example: {
      name: 'Billing backend',
      scopes: ['payments:read', 'payments:write'],
      expires_at: '2027-01-01T00:00:00Z',
      quotas: { daily: 10000 },
      rate_limit: { per_second: 10, per_minute: 300 },
    },
  },
  success: {
    name: 'CreatedApiKey',
    schema: ZCreatedApiKeySchema,
    status: 201,
    description: 'The new key (shown once) and its record',
    example: { key: EXAMPLE_KEY, ...EXAMPLE_RECORD, last_used_at: null, last_used_ip: null },
  },
  extraErrors: [409],
  handle: async ({ auth, service, body }) => {
    const principal = auth.principal;
    const ownSpace = auth.key.spaceId;
    const spaceId = body.space_id ?? ownSpace;
    // A space-confined key cannot tell another space of its organization from a missing one.
    if (spaceId !== ownSpace && principal.kind === 'key' && !principal.acrossSpaces) {
      throw AppError.field('NOT_FOUND', 'space_id', 'Space not found');
    }
    const created = await createKey(service, toCreateKeyInput(body, spaceId));
    return { key: created.key, ...toApiKeyRecord(created.record) };
  },
});
