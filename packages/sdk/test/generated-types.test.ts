/**
 * The SDK's wire types cannot drift from the API: the committed `src/generated/openapi.ts`
 * must be exactly what the generator makes from the OpenAPI document the API builds now
 * (decision 0018). After changing a `/v1` schema, run `pnpm --filter @keysmith/sdk generate`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generatedSource, openApiDocument, renderTypes } from '../scripts/generate-types.js';
import { OPERATIONS } from '../src/generated/openapi.js';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

describe('generated wire types', () => {
  it('are up to date with the API (run `pnpm --filter @keysmith/sdk generate` if not)', () => {
    const committed = readFileSync(path.join(ROOT, GENERATED_FILE), 'utf8');
    expect(committed).toBe(generatedSource());
  });

  it('list every operation of the document with its method, path and scope', () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const fromDocument = Object.entries(document.paths).flatMap(([route, item]) =>
      Object.entries(item).map(([method, op]) => [
        op.operationId,
        { method: method.toUpperCase(), path: route, scope: op['x-required-scope'] ?? null },
      ]),
    );
    const generated = Object.entries(OPERATIONS).map(([id, op]) => [
      id,
      { method: op.method, path: op.path, scope: op.scope },
    ]);
    expect(generated).toEqual(fromDocument);
  });

  it('fail loudly on a schema construct the generator does not understand', () => {
    const document = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    const changed = {
      ...document,
      components: {
        ...document.components,
        schemas: { ...document.components.schemas, Odd: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
      },
    };
    expect(() => renderTypes(changed)).toThrow(/unsupported JSON Schema keyword "oneOf"/);
  });

  it('render the keywords a new route is likely to bring (arrays with minItems, constants)', () => {
    const document = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    const changed = {
      ...document,
      components: {
        ...document.components,
        schemas: {
          ...document.components.schemas,
          LeakReport: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              properties: { token: { type: 'string' }, label: { const: 'true_positive' } },
              required: ['token', 'label'],
            },
          },
        },
      },
    };
    expect(renderTypes(changed)).toMatch(
      /export type LeakReport = \(?\{\s+token: string;\s+label: 'true_positive';\s+\}\)?\[\];/,
    );
  });

  it('reflect a change of the document (a new required field shows up)', () => {
    const document = openApiDocument() as {
      components: { schemas: Record<string, { properties: object; required: string[] }> };
    };
    const result = document.components.schemas.VerifyKeyResult;
    if (!result) throw new Error('VerifyKeyResult is missing from the document');
    const changed = structuredClone(document);
    const target = changed.components.schemas.VerifyKeyResult;
    if (!target) throw new Error('unreachable');
    target.properties = { ...result.properties, owner_note: { type: 'string' } };
    target.required = [...result.required, 'owner_note'];
    expect(renderTypes(changed)).toContain('owner_note: string;');
    expect(renderTypes(document)).not.toContain('owner_note');
  });
});
