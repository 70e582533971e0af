import { listKeys } from '../../../modules/api-key/list-keys.js';
import {
  toApiKeyRecord,
  toListKeysInput,
  ZApiKeyPageSchema,
  ZListApiKeysQuerySchema,
} from '../../api-key-wire.js';
import { EXAMPLE_RECORD } from '../../openapi-examples.js';
import { defineKeyRoute } from '../../rest-route.js';

/** `GET /v1/api-keys`: the keys the caller may see (its space, or all with `admin:*`), newest first. */
export const listApiKeysRoute = defineKeyRoute({
  method: 'GET',
  path: '/api-keys',
  operationId: 'listApiKeys',
  summary: 'List API keys',
  description:
    "Keys of the caller's space (all spaces for `admin:*`), newest first, filtered and paged. Records " +
    'carry the redacted `prefix`, never a secret.',
  auth: { scope: 'keys:read' },
  query: ZListApiKeysQuerySchema,
  success: {
    name: 'ApiKeyPage',
    schema: ZApiKeyPageSchema,
    status: 200,
    description: 'One page of keys and the total count',
    example: { data: [EXAMPLE_RECORD], page: 1, per_page: 25, total: 1 },
  },
  handle: async ({ service, query }) => {
    const page = await listKeys(service, toListKeysInput(query));
    return {
      data: page.data.map(toApiKeyRecord),
      page: page.page,
      per_page: page.perPage,
      total: page.total,
    };
  },
});
