import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  KEYSMITH_KEY_REGEX,
  PLAN_LIMITS,
  PLANS,
  parseApiKey,
  REST_ERRORS,
  redactApiKey,
  VERIFY_ERRORS,
} from '@keysmith/domain';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_KEY } from '../src/rest/openapi-examples.js';
import { restPlugin } from '../src/rest/plugin.js';
import { ZErrorBodySchema } from '../src/rest/rest-schemas.js';
import { REST_OPERATIONS } from '../src/rest/route-table.js';
import { createTestApp, type TestApp } from './harness.js';

type Json = Record<string, unknown>;

let app: TestApp;
let base: string;
let doc: Json;

beforeAll(async () => {
  app = await createTestApp();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
});
afterAll(() => app.shutdown());

/** Method and OpenAPI path of every route the `/v1` plugin registers, seen by Fastify itself. */
async function registeredRoutes(): Promise<string[]> {
  const probe = Fastify();
  const routes: string[] = [];
  probe.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue; // Fastify's automatic HEAD for each GET
      routes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    }
  });
  await probe.register(restPlugin, { prefix: '/v1', app: app.services });
  await probe.ready();
  await probe.close();
  return routes.sort();
}

function documentedRoutes(document: Json): string[] {
  return Object.entries(document.paths as Record<string, Json>)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') out.push(child);
      else collectRefs(child, out);
    }
  }
  return out;
}

function resolve(document: Json, ref: string): unknown {
  let node: unknown = document;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json | undefined)?.[part];
  return node;
}

describe('GET /v1/openapi.json', () => {
  it('serves an OpenAPI 3.1 document without authentication', async () => {
    const res = await fetch(`${base}/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: app.services.env.PUBLIC_URL }]);
  });

  it('documents every registered /v1 route, and nothing that is not registered', async () => {
    const registered = await registeredRoutes();
    expect(registered.length).toBeGreaterThanOrEqual(10);
    expect(documentedRoutes(doc)).toEqual(registered);
  });

  it('states the scope and the error answers of each operation', () => {
    const createKey = (doc.paths as Record<string, Record<string, Json>>)['/v1/api-keys']?.post;
    expect(createKey).toMatchObject({
      'x-required-scope': 'keys:write',
      security: [{ bearerAuth: ['keys:write'] }, { apiKeyHeader: ['keys:write'] }],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateApiKeyRequest' } } },
      },
    });
    expect(Object.keys(createKey?.responses as Json).sort()).toEqual(
      ['201', '400', '401', '403', '409', '413', '415', '429'].sort(),
    );
    const openapi = (doc.paths as Record<string, Record<string, Json>>)['/v1/openapi.json']?.get;
    expect(openapi?.security).toEqual([]);
    expect(Object.keys(openapi?.responses as Json)).toEqual(['200']);
  });

  it('has only references that resolve', () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) expect(resolve(doc, ref), ref).toBeDefined();
  });

  it('shows examples that are valid answers, taken from the route table', () => {
    for (const op of REST_OPERATIONS) {
      const label = `${op.method} ${op.path}`;
      // Parsing strips unknown fields, so equality also proves the example has no extra one.
      expect(op.success.schema.parse(op.success.example), label).toEqual(op.success.example);
      if (op.body?.example !== undefined)
        expect(op.body.schema.safeParse(op.body.example).success, label).toBe(true);
      const paths = doc.paths as Record<string, Record<string, { responses: Record<string, Json> }>>;
      const responses = paths[`/v1${op.path}`]?.[op.method.toLowerCase()]?.responses ?? {};
      const content = (responses[String(op.success.status)]?.content ?? {}) as Json;
      expect((content['application/json'] as Json).example, label).toEqual(op.success.example);
    }
    const errors = (doc.components as { responses: Record<string, Json> }).responses;
    for (const [name, response] of Object.entries(errors)) {
      const example = ((response.content as Json)['application/json'] as Json).example;
      expect(ZErrorBodySchema.parse(example), name).toEqual(example);
    }
  });

  it('describes the key record without any secret field', () => {
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    const record = Object.keys(schemas.ApiKey?.properties as Json);
    expect(record).toContain('prefix');
    expect(record.filter((f) => /secret|hash|^key$/.test(f))).toEqual([]);
    expect(Object.keys(schemas.CreatedApiKey?.properties as Json)).toContain('key');
    // Request bodies are closed (unknown fields are refused), answers are open to new fields.
    expect(schemas.CreateApiKeyRequest?.additionalProperties).toBe(false);
    expect(schemas.ApiKey?.additionalProperties).toBeUndefined();
  });
});

describe('docs/api.md', () => {
  const text = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');

  it('has the §3 table exactly as the domain package defines it', () => {
    const rows = [...text.matchAll(/^\| (\d+) \| [^|]+ \| (\d{3}) \| `([^`]+)` \| `([A-Z_]+)` \|$/gm)].map(
      (m) => ({
        order: Number(m[1]),
        status: Number(m[2]),
        error: m[3],
        code: m[4],
      }),
    );
    expect(rows).toEqual(
      VERIFY_ERRORS.map(({ order, status, error, code }) => ({ order, status, error, code })),
    );
  });

  it('lists every other error code with its status', () => {
    for (const { code, status } of REST_ERRORS) expect(text).toContain(`| ${status} | \`${code}\` |`);
  });

  it('has the plan table of the domain package', () => {
    for (const plan of PLANS) {
      const limits = PLAN_LIMITS[plan];
      expect(text).toMatch(
        new RegExp(`^\\| ${plan} \\| ${limits.perSecond} \\| ${limits.perMinute} \\| `, 'm'),
      );
    }
  });

  it('publishes the secret-scanner regex', () => {
    expect(text).toContain(`\`\`\`regex\n${KEYSMITH_KEY_REGEX.source}\n\`\`\``);
  });

  it('shows only well-formed example keys, with their real redacted preview', () => {
    const keys = [...text.matchAll(new RegExp(KEYSMITH_KEY_REGEX.source, 'g'))].map((m) => m[0]);
    expect(keys.length).toBeGreaterThan(3);
    for (const key of keys) expect(parseApiKey(key).ok, key).toBe(true);
    expect(text).toContain(redactApiKey(EXAMPLE_KEY));
  });

  it('documents every operation with curl, JavaScript and Python examples', () => {
    const sections = text.split(/^### /m);
    for (const op of REST_OPERATIONS) {
      const heading = `\`${op.method} /v1${op.path}\``;
      const section = sections.find((s) => s.startsWith(heading));
      expect(section, heading).toBeDefined();
      for (const fence of ['```bash', '```js', '```python'])
        expect(section, `${heading} ${fence}`).toContain(fence);
      if (op.auth !== 'public' && op.auth.scope)
        expect(section, heading).toContain(`Scope \`${op.auth.scope}\``);
    }
  });
});
