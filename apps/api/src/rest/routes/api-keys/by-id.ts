import { getKey } from '../../../modules/api-key/list-keys.js';
import { keyUsage } from '../../../modules/usage/usage.service.js';
import { toApiKeyRecord, ZApiKeyDetailSchema, ZKeyIdParamsSchema } from '../../api-key-wire.js';
import { keyRequestCounts } from '../../key-request-logs.js';
import { EXAMPLE_RECORD } from '../../openapi-examples.js';
import { defineKeyRoute } from '../../rest-route.js';

/**
 * `GET /v1/api-keys/{id}`: the record plus usage: admitted requests in the last 24 h and
 * 30 days (from the request logs), and each quota window as the admin's key page shows it
 * (one reader, `keyUsage`: the verifier's arithmetic over the persisted buckets).
 */
export const getApiKeyRoute = defineKeyRoute({
  method: 'GET',
  path: '/api-keys/{id}',
  operationId: 'getApiKey',
  summary: 'Get an API key with its usage',
  description:
    'The record plus `usage`: admitted requests in the last 24 hours and 30 days, and each configured ' +
    'quota window (limit, used, remaining, and when credits next free up).',
  auth: { scope: 'keys:read' },
  params: ZKeyIdParamsSchema,
  success: {
    name: 'ApiKeyWithUsage',
    schema: ZApiKeyDetailSchema,
    status: 200,
    description: 'The key and its usage',
    example: {
      ...EXAMPLE_RECORD,
      usage: {
        requests_today: 1843,
        requests_this_month: 40211,
        quotas: {
          daily: { limit: 10000, used: 1843, remaining: 8157, reset_at: '2026-05-07T09:13:00.000Z' },
          monthly: { limit: 250000, used: 40211, remaining: 209789, reset_at: '2026-05-07T10:00:00.000Z' },
        },
      },
    },
  },
  handle: async ({ app, service, params }) => {
    const record = await getKey(service, params.id);
    // The admin's reader (`usage.key`), so both show the same numbers at the same moment. Its
    // flush here is the hot path's whole flush: the request counts below read the logs too.
    const usage = await keyUsage(
      service,
      { flush: app.verification.flush, load: (keyId, now) => app.verification.usage.load(keyId, now) },
      record.id,
    );
    const counts = await keyRequestCounts(
      service.em,
      service.organizationId,
      record.id,
      Date.parse(usage.asOf),
    );
    return {
      ...toApiKeyRecord(record),
      usage: {
        requests_today: counts.today,
        requests_this_month: counts.thisMonth,
        quotas: Object.fromEntries(
          usage.windows.map((w) => [
            w.window,
            { limit: w.limit, used: w.used, remaining: w.remaining, reset_at: w.nextFreeAt },
          ]),
        ),
      },
    };
  },
});
