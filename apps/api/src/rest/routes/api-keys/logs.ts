import { getKey } from '../../../modules/api-key/list-keys.js';
import { ZKeyIdParamsSchema, ZKeyLogsQuerySchema, ZRequestLogPageSchema } from '../../api-key-wire.js';
import { keyRequestLogPage } from '../../key-request-logs.js';
import { EXAMPLE_LOG } from '../../openapi-examples.js';
import { defineKeyRoute } from '../../rest-route.js';

/** `GET /v1/api-keys/{id}/logs`: the key's request logs, newest first, by cursor. */
export const apiKeyLogsRoute = defineKeyRoute({
  method: 'GET',
  path: '/api-keys/{id}/logs',
  operationId: 'listApiKeyLogs',
  summary: "List a key's request logs",
  description:
    'Every authenticated request of the key, admitted or refused, newest first. Pass `next_cursor` as ' +
    '`cursor` for the next page; it is null on the last page. Logs are written in batches, so a ' +
    'request shows up about a second after it was answered.',
  auth: { scope: 'keys:read' },
  params: ZKeyIdParamsSchema,
  query: ZKeyLogsQuerySchema,
  success: {
    name: 'RequestLogPage',
    schema: ZRequestLogPageSchema,
    status: 200,
    description: 'One page of request logs',
    example: { data: [EXAMPLE_LOG], next_cursor: 'MTc3ODA4Njk5MTQwOHw0ODIxMw' },
  },
  handle: async ({ service, params, query }) => {
    // Visibility first: a foreign or out-of-space id is 404, never an empty page.
    const key = await getKey(service, params.id);
    const page = await keyRequestLogPage(
      service.em,
      service.organizationId,
      key.id,
      query.limit,
      query.cursor,
    );
    return {
      data: page.rows.map((row) => ({
        id: String(row.id),
        time: row.time.toISOString(),
        method: row.method,
        endpoint: row.endpoint,
        status: row.status,
        duration_ms: row.durationMs,
        ip: row.ip ?? null,
        credits: row.credits,
        code: row.code,
      })),
      next_cursor: page.nextCursor,
    };
  },
});
