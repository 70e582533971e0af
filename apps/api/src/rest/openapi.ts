import { REST_ERRORS, VERIFY_ERRORS } from '@keysmith/domain';
import { z } from 'zod';
import { ZApiKeyRecordSchema, ZRequestLogSchema } from './api-key-wire.js';
import type { NamedSchema, RestOperation } from './rest-route.js';
import { ZErrorBodySchema, ZQuotaWindowStatusSchema } from './rest-schemas.js';

/** A JSON Schema / OpenAPI object as plain JSON. */
type JsonObject = { [key: string]: unknown };

const SCHEMA_REF = '#/components/schemas/';

/** Schemas shared by several answers: they become components and are referenced by `$ref`. */
const SHARED_RESPONSE_SCHEMAS: readonly NamedSchema[] = [
  { name: 'Error', schema: ZErrorBodySchema },
  { name: 'ApiKey', schema: ZApiKeyRecordSchema },
  { name: 'QuotaWindowStatus', schema: ZQuotaWindowStatusSchema },
  { name: 'RequestLog', schema: ZRequestLogSchema },
];

/** Error answers, by status; their codes and wording come from the domain package's tables. */
const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'ValidationError', description: 'Invalid input: `fields` names each offending field' },
  401: {
    name: 'Unauthorized',
    description: 'The key is missing, invalid, revoked, inactive, expired or over quota',
  },
  403: { name: 'Forbidden', description: 'The caller IP is blocked or not allowed, or a scope is missing' },
  404: { name: 'NotFound', description: 'No such key (or it belongs to another space or organization)' },
  409: { name: 'Conflict', description: 'The name is taken, or the key or plan does not allow the change' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than 1 MiB' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not `application/json`' },
  429: {
    name: 'RateLimited',
    description: 'Over the per-second or per-minute rate limit; see `Retry-After`',
  },
};

const RATE_HEADERS = [
  ['RateLimit-Limit', 'Limit of the tightest per-minute window'],
  ['RateLimit-Remaining', 'Requests left in that window'],
  ['RateLimit-Reset', 'Unix time (seconds) when that window next frees up'],
  ['X-RateLimit-Limit', 'Same as RateLimit-Limit'],
  ['X-RateLimit-Remaining', 'Same as RateLimit-Remaining'],
  ['X-RateLimit-Reset', 'Same as RateLimit-Reset'],
] as const;

const TAGS: { prefix: string; name: string; description: string }[] = [
  { prefix: '/api-keys', name: 'API keys', description: 'Issue, inspect, update, roll and revoke keys' },
  { prefix: '/keys/verify', name: 'Verification', description: "Check your consumers' keys" },
  { prefix: '/rate-limit', name: 'Verification', description: "Check your consumers' keys" },
  { prefix: '/openapi.json', name: 'Meta', description: 'This document' },
];

function stripMeta(schema: unknown): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema as JsonObject;
  return rest;
}

/**
 * Converts a set of named zod schemas to components in one pass, so a schema used inside
 * another registered one becomes a `$ref`. `input` describes what a request may send
 * (defaults make fields optional); `output` what an answer carries.
 */
function componentSchemas(named: readonly NamedSchema[], io: 'input' | 'output'): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  const byName = new Map<string, z.ZodType>();
  for (const { name, schema } of named) {
    const existing = byName.get(name);
    if (existing === schema) continue;
    if (existing) throw new Error(`OpenAPI: two different schemas are named ${name}`);
    byName.set(name, schema);
    registry.add(schema, { id: name });
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => `${SCHEMA_REF}${id}`,
    // Answers may gain fields over time; only request bodies are closed (unknown fields are 400).
    override: (ctx) => {
      if (io === 'output' && ctx.jsonSchema.additionalProperties === false)
        delete ctx.jsonSchema.additionalProperties;
    },
  });
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, stripMeta(schema)]));
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonObject;
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

function requiredFields(schema: z.ZodType): string[] {
  return ((z.toJSONSchema(schema, { io: 'input' }) as JsonObject).required ?? []) as string[];
}

function errorStatuses(op: RestOperation): number[] {
  const statuses = new Set<number>(op.extraErrors ?? []);
  if (op.auth !== 'public') for (const s of [401, 403, 429]) statuses.add(s);
  if (op.query || op.body) statuses.add(400);
  if (op.params) statuses.add(404);
  if (op.body) for (const s of [413, 415]) statuses.add(s);
  return [...statuses].sort((a, b) => a - b);
}

function rateHeaderRefs(): JsonObject {
  return Object.fromEntries(RATE_HEADERS.map(([name]) => [name, { $ref: `#/components/headers/${name}` }]));
}

function operationObject(op: RestOperation): JsonObject {
  const scope = op.auth === 'public' ? undefined : op.auth.scope;
  const authenticated = op.auth !== 'public';
  const scopes = scope ? [scope] : [];
  const requirement = authenticated
    ? `\n\nAuthentication: ${scope ? `a key with the \`${scope}\` scope` : 'any valid key'}.`
    : '\n\nNo authentication.';
  const requestBody = op.body
    ? {
        required: requiredFields(op.body.schema).length > 0,
        content: {
          'application/json': {
            schema: { $ref: `${SCHEMA_REF}${op.body.name}` },
            ...(op.body.example === undefined ? {} : { example: op.body.example }),
          },
        },
      }
    : undefined;
  const responses: JsonObject = {
    [String(op.success.status)]: {
      description: op.success.description,
      ...(authenticated ? { headers: rateHeaderRefs() } : {}),
      content: {
        'application/json': {
          schema: { $ref: `${SCHEMA_REF}${op.success.name}` },
          example: op.success.example,
        },
      },
    },
  };
  for (const status of errorStatuses(op)) {
    const response = ERROR_RESPONSES[status];
    if (!response) throw new Error(`OpenAPI: no error response for status ${status}`);
    responses[String(status)] = { $ref: `#/components/responses/${response.name}` };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: `${op.description}${requirement}`,
    tags: [TAGS.find((t) => op.path.startsWith(t.prefix))?.name ?? 'API'],
    ...(scope ? { 'x-required-scope': scope } : {}),
    security: authenticated ? [{ bearerAuth: scopes }, { apiKeyHeader: scopes }] : [],
    parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** Example error body for a status: the first code of the domain tables that answers with it. */
function errorExample(status: number): JsonObject {
  const row = [...VERIFY_ERRORS, ...REST_ERRORS].find((e) => e.status === status);
  if (!row) throw new Error(`OpenAPI: no error code answers with status ${status}`);
  return {
    error: row.error,
    code: row.code,
    request_id: 'req_7ZkQ2mW9xB3cD4eF',
    ...(row.code === 'VALIDATION' ? { fields: { 'rate_limit.per_second': 'Must be greater than 0' } } : {}),
  };
}

function errorComponents(): JsonObject {
  const all = [...VERIFY_ERRORS, ...REST_ERRORS];
  return Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, { name, description }]) => {
      const codes = all.filter((e) => e.status === Number(status)).map((e) => `\`${e.code}\``);
      const example = errorExample(Number(status));
      const headers =
        status === '429'
          ? { ...rateHeaderRefs(), 'Retry-After': { $ref: '#/components/headers/Retry-After' } }
          : undefined;
      return [
        name,
        {
          description: `${description}. Codes: ${codes.join(', ')}.`,
          ...(headers ? { headers } : {}),
          content: { 'application/json': { schema: { $ref: `${SCHEMA_REF}Error` }, example } },
        },
      ];
    }),
  );
}

export interface OpenApiOptions {
  /** Origin the API is served from (the `servers` entry). */
  serverUrl: string;
}

/**
 * The OpenAPI 3.1 document of `/v1`, generated from the operations' own zod schemas (JSON
 * Schema 2020-12, which OpenAPI 3.1 uses as is). Nothing in it is written twice.
 */
export function buildOpenApiDocument(
  operations: readonly RestOperation[],
  options: OpenApiOptions,
): JsonObject {
  const requestSchemas = operations.flatMap((op) => (op.body ? [op.body] : []));
  const responseSchemas = [...SHARED_RESPONSE_SCHEMAS, ...operations.map((op) => op.success)];
  const requests = componentSchemas(requestSchemas, 'input');
  const responses = componentSchemas(responseSchemas, 'output');
  for (const name of Object.keys(requests)) {
    if (name in responses) throw new Error(`OpenAPI: ${name} names both a request and a response schema`);
  }
  const paths: Record<string, JsonObject> = {};
  for (const op of operations) {
    const path = `/v1${op.path}`;
    const item = paths[path] ?? {};
    const method = op.method.toLowerCase();
    if (method in item) throw new Error(`OpenAPI: ${op.method} ${path} is defined twice`);
    item[method] = operationObject(op);
    paths[path] = item;
  }
  const tags = [...new Map(TAGS.map((t) => [t.name, { name: t.name, description: t.description }])).values()];
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Keysmith API',
      version: '1',
      description:
        'Verify and manage API keys. Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`. ' +
        'Bodies are JSON in snake_case; errors are `{error, code, request_id}` (plus `fields` for ' +
        '`VALIDATION`). Every authenticated answer carries `RateLimit-*` and `X-RateLimit-*` headers.',
    },
    servers: [{ url: options.serverUrl }],
    tags,
    paths,
    components: {
      schemas: { ...requests, ...responses },
      responses: errorComponents(),
      headers: {
        ...Object.fromEntries(
          RATE_HEADERS.map(([name, description]) => [name, { description, schema: { type: 'integer' } }]),
        ),
        'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A Keysmith key: `Authorization: Bearer sk_live_…`',
        },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A Keysmith key' },
      },
    },
  };
}
