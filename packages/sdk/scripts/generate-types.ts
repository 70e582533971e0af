/**
 * Writes `src/generated/openapi.ts`: the request and response types of every `/v1` operation
 * and the operation table (method, path, scope, success status), generated from the OpenAPI
 * document that the API builds from its own zod schemas (decision 0018). The document is
 * built in-process from the API's route table, the same call that serves
 * `GET /v1/openapi.json`, so no server and no network are needed.
 *
 * `pnpm --filter @keysmith/sdk generate` rewrites the file; `test/generated-types.test.ts`
 * regenerates it in memory and fails when the committed file differs, so the SDK's types
 * cannot drift from the API. The converter handles exactly the JSON Schema constructs the
 * document uses today and throws on anything else, so a new construct is a loud failure,
 * never a silently wrong type.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../../../apps/api/src/rest/openapi.js';
import { REST_OPERATIONS } from '../../../apps/api/src/rest/route-table.js';

type Json = { [key: string]: unknown };

const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = path.resolve(SDK_DIR, '../..');
/** The generated file, relative to the repository root (biome reads its settings by path). */
export const GENERATED_FILE = 'packages/sdk/src/generated/openapi.ts';
const SCHEMA_REF = '#/components/schemas/';
/**
 * Component names that would be awkward as exported TypeScript names (`Error` would shadow
 * the global in every file that imports it).
 */
const RENAMED: { readonly [component: string]: string } = { Error: 'ErrorBody' };
const typeName = (component: string) => RENAMED[component] ?? component;
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Whether a type is read (`response`: arrays mutable) or written by the caller (`request`). */
type Direction = 'request' | 'response';

/** The `/v1` OpenAPI document exactly as the API serves it (the server URL aside). */
export function openApiDocument(): Json {
  return buildOpenApiDocument(REST_OPERATIONS, { serverUrl: 'https://keysmith.example.com' });
}

function fail(where: string, message: string): never {
  throw new Error(`generate-types: ${where}: ${message}`);
}

function asObject(value: unknown, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, 'expected an object');
  return value as Json;
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** A JSDoc block from a description and constraint notes; empty when there is nothing to say. */
function doc(lines: readonly string[], indent: string): string {
  const text = lines
    .flatMap((l) => l.split('\n'))
    .map((l) => l.replaceAll('*/', '*\\/').trimEnd())
    .filter((l) => l !== '');
  if (text.length === 0) return '';
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

/** Constraint notes a caller needs when writing a value (length, range, pattern, default). */
function constraints(schema: Json): string[] {
  const notes: string[] = [];
  const { minLength, maxLength, minimum, maximum, exclusiveMinimum, maxItems, pattern, format } = schema;
  if (typeof minLength === 'number' && typeof maxLength === 'number') {
    notes.push(`${minLength}–${maxLength} characters.`);
  } else if (typeof maxLength === 'number') notes.push(`At most ${maxLength} characters.`);
  else if (typeof minLength === 'number')
    notes.push(`At least ${minLength} character${minLength === 1 ? '' : 's'}.`);
  if (typeof minimum === 'number' || typeof maximum === 'number' || typeof exclusiveMinimum === 'number') {
    const low = typeof exclusiveMinimum === 'number' ? `> ${exclusiveMinimum}` : `≥ ${minimum ?? '-∞'}`;
    notes.push(`Range ${low}${typeof maximum === 'number' ? `, ≤ ${maximum}` : ''}.`);
  }
  if (typeof maxItems === 'number') notes.push(`At most ${maxItems} items.`);
  if (typeof schema.minItems === 'number') notes.push(`At least ${schema.minItems} item(s).`);
  if (typeof schema.exclusiveMaximum === 'number') notes.push(`Below ${schema.exclusiveMaximum}.`);
  if (typeof format === 'string') notes.push(`Format: ${format}.`);
  else if (typeof pattern === 'string' && pattern.length <= 40) notes.push(`Pattern: \`${pattern}\`.`);
  for (const branch of Array.isArray(schema.anyOf) ? schema.anyOf : []) {
    notes.push(...constraints(asObject(branch, 'anyOf')));
  }
  return notes;
}

const KNOWN_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'enum',
  '$ref',
  'description',
  'default',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'maxItems',
  'minItems',
  'exclusiveMaximum',
  'pattern',
  'format',
  'const',
  'title',
  'examples',
  'deprecated',
]);

function typeOf(schema: Json, direction: Direction, where: string, indent: string): string {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(keyword)) fail(where, `unsupported JSON Schema keyword "${keyword}"`);
  }
  if (typeof schema.$ref === 'string') {
    if (!schema.$ref.startsWith(SCHEMA_REF)) fail(where, `unsupported $ref ${schema.$ref}`);
    return typeName(schema.$ref.slice(SCHEMA_REF.length));
  }
  if (Array.isArray(schema.anyOf)) {
    return schema.anyOf
      .map((branch, i) => typeOf(asObject(branch, where), direction, `${where}.anyOf[${i}]`, indent))
      .join(' | ');
  }
  if (schema.const !== undefined) {
    if (
      typeof schema.const !== 'string' &&
      typeof schema.const !== 'number' &&
      typeof schema.const !== 'boolean'
    ) {
      fail(where, 'only string, number and boolean constants are supported');
    }
    return JSON.stringify(schema.const).replaceAll('"', "'");
  }
  if (Array.isArray(schema.enum)) {
    return schema.enum
      .map((value) => {
        if (typeof value !== 'string') fail(where, 'only string enums are supported');
        return `'${value.replaceAll("'", "\\'")}'`;
      })
      .join(' | ');
  }
  if (Array.isArray(schema.type)) {
    return schema.type.map((t) => typeOf({ ...schema, type: t }, direction, where, indent)).join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = typeOf(asObject(schema.items, `${where}.items`), direction, `${where}[]`, indent);
      const wrapped = /^[\w.]+$/.test(item) ? item : `(${item})`;
      return direction === 'request' ? `readonly ${wrapped}[]` : `${wrapped}[]`;
    }
    case 'object':
      return objectType(schema, direction, where, indent);
    default:
      return fail(where, `unsupported type ${JSON.stringify(schema.type)}`);
  }
}

function propertyLine(
  name: string,
  schema: Json,
  required: boolean,
  direction: Direction,
  where: string,
  indent: string,
): string {
  const type = typeOf(schema, direction, `${where}.${name}`, `${indent}  `);
  const notes = direction === 'request' ? constraints(schema) : [];
  if (direction === 'request' && schema.default !== undefined) {
    notes.push(`@default ${JSON.stringify(schema.default)}`);
  }
  const description = typeof schema.description === 'string' ? [schema.description] : [];
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`;
  // Written fields may be passed as `undefined` (JSON drops them): friendly under
  // exactOptionalPropertyTypes. Read fields are exactly what the API sends.
  const optional = required ? '' : '?';
  const orUndefined = !required && direction === 'request' ? ' | undefined' : '';
  return `${doc([...description, ...notes], indent)}${indent}${key}${optional}: ${type}${orUndefined};\n`;
}

function objectType(schema: Json, direction: Direction, where: string, indent: string): string {
  const properties = asObject(schema.properties ?? {}, `${where}.properties`);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const inner = `${indent}  `;
  let body = '';
  for (const [name, property] of Object.entries(properties)) {
    body += propertyLine(name, asObject(property, where), required.has(name), direction, where, inner);
  }
  const additional = schema.additionalProperties;
  if (additional !== undefined && additional !== false) {
    const value = asObject(additional, `${where}.additionalProperties`);
    const names = schema.propertyNames === undefined ? null : asObject(schema.propertyNames, where);
    if (names && Array.isArray(names.enum)) {
      // A record over a closed set of keys (z.partialRecord): each key optional.
      const valueType = typeOf(value, direction, `${where}[key]`, inner);
      for (const key of names.enum as string[]) body += `${inner}${key}?: ${valueType};\n`;
    } else {
      const valueType = Object.keys(value).length === 0 ? 'unknown' : typeOf(value, direction, where, inner);
      body += `${inner}[key: string]: ${valueType};\n`;
    }
  }
  return body === '' ? 'Record<string, never>' : `{\n${body}${indent}}`;
}

function isRequired(schema: Json, name: string): boolean {
  return Array.isArray(schema.required) && schema.required.includes(name);
}

/**
 * The largest other object component whose every property `schema` repeats unchanged (same
 * schema, same requiredness): `CreatedApiKey` is an `ApiKey` plus `key`. Emitting
 * `extends ApiKey` says so, instead of repeating 24 fields.
 */
function baseOf(name: string, schema: Json, components: Json): string | null {
  const own = asObject(schema.properties ?? {}, name);
  let best: { name: string; size: number } | null = null;
  for (const [other, value] of Object.entries(components)) {
    const candidate = asObject(value, other);
    if (other === name || candidate.type !== 'object' || candidate.additionalProperties !== undefined)
      continue;
    const theirs = Object.entries(asObject(candidate.properties ?? {}, other));
    if (theirs.length === 0 || theirs.length >= Object.keys(own).length) continue;
    const repeated = theirs.every(
      ([prop, propSchema]) =>
        JSON.stringify(own[prop]) === JSON.stringify(propSchema) &&
        isRequired(schema, prop) === isRequired(candidate, prop),
    );
    if (repeated && (best === null || theirs.length > best.size)) best = { name: other, size: theirs.length };
  }
  return best?.name ?? null;
}

function declaration(name: string, schema: Json, direction: Direction, components: Json): string {
  const description = typeof schema.description === 'string' ? [schema.description] : [];
  const base = schema.type === 'object' ? baseOf(name, schema, components) : null;
  if (base !== null) {
    const inherited = new Set(Object.keys(asObject(asObject(components[base], base).properties, base)));
    const properties = Object.fromEntries(
      Object.entries(asObject(schema.properties, name)).filter(([prop]) => !inherited.has(prop)),
    );
    const type = typeOf({ ...schema, properties }, direction, name, '');
    return `${doc(description, '')}export interface ${typeName(name)} extends ${typeName(base)} ${type}\n`;
  }
  const type = typeOf(schema, direction, name, '');
  return schema.type === 'object' && type.startsWith('{')
    ? `${doc(description, '')}export interface ${typeName(name)} ${type}\n`
    : `${doc(description, '')}export type ${typeName(name)} = ${type};\n`;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  summary: string;
  scope: string | null;
  isPublic: boolean;
  status: number;
  pathParams: string[];
  query: Json[];
  body: string | null;
  response: string;
}

function refName(content: unknown, where: string): string {
  const json = asObject(asObject(content, where)['application/json'], `${where} application/json`);
  const ref = asObject(json.schema, where).$ref;
  if (typeof ref !== 'string' || !ref.startsWith(SCHEMA_REF)) fail(where, 'expected a $ref schema');
  return typeName(ref.slice(SCHEMA_REF.length));
}

function operations(document: Json): Operation[] {
  const out: Operation[] = [];
  for (const [route, item] of Object.entries(asObject(document.paths, 'paths'))) {
    for (const [method, value] of Object.entries(asObject(item, route))) {
      if (!(HTTP_METHODS as readonly string[]).includes(method)) fail(route, `unsupported method ${method}`);
      const op = asObject(value, `${method} ${route}`);
      const where = `${method.toUpperCase()} ${route}`;
      const parameters = (op.parameters ?? []) as Json[];
      const responses = asObject(op.responses, where);
      const success = Object.keys(responses).find((status) => status.startsWith('2'));
      if (!success) fail(where, 'no 2xx response');
      const requestBody = op.requestBody === undefined ? null : asObject(op.requestBody, where);
      const security = (op.security ?? []) as Json[];
      out.push({
        id: String(op.operationId),
        method: method.toUpperCase(),
        path: route,
        summary: String(op.summary ?? ''),
        scope: typeof op['x-required-scope'] === 'string' ? op['x-required-scope'] : null,
        isPublic: security.length === 0,
        status: Number(success),
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => String(p.name)),
        query: parameters.filter((p) => p.in === 'query'),
        body: requestBody ? refName(requestBody.content, `${where} requestBody`) : null,
        response: refName(asObject(responses[success], where).content, `${where} ${success}`),
      });
    }
  }
  return out;
}

function queryInterface(op: Operation): string {
  let body = '';
  for (const parameter of op.query) {
    const schema = asObject(parameter.schema, `${op.id} query`);
    const described =
      typeof parameter.description === 'string' ? { ...schema, description: parameter.description } : schema;
    body += propertyLine(
      String(parameter.name),
      described,
      parameter.required === true,
      'request',
      op.id,
      '  ',
    );
  }
  return `${doc([`Query parameters of \`${op.method} ${op.path}\` (${op.id}).`], '')}export interface ${pascal(op.id)}Query {\n${body}}\n`;
}

/** The TypeScript source of the generated file, unformatted. */
export function renderTypes(document: Json): string {
  const components = asObject(asObject(document.components, 'components').schemas, 'components.schemas');
  const ops = operations(document);
  const requestNames = new Set(ops.flatMap((op) => (op.body ? [op.body] : [])));
  let out =
    '// Generated by packages/sdk/scripts/generate-types.ts from the /v1 OpenAPI document that the API\n' +
    '// builds from its zod schemas. Do not edit: run `pnpm --filter @keysmith/sdk generate`.\n' +
    '// test/generated-types.test.ts fails when this file is out of date.\n\n';
  for (const [name, schema] of Object.entries(components)) {
    const direction = requestNames.has(name) ? 'request' : 'response';
    out += `${declaration(name, asObject(schema, name), direction, components)}\n`;
  }
  for (const op of ops) if (op.query.length > 0) out += `${queryInterface(op)}\n`;

  out += `${doc(['Every `/v1` operation: method, path, the scope the calling key needs (null: any valid key), success status, and whether it is public (no key).'], '')}`;
  out += 'export const OPERATIONS = {\n';
  for (const op of ops) {
    out += `${doc([`${op.summary}.`], '  ')}  ${op.id}: { method: '${op.method}', path: '${op.path}', scope: ${op.scope === null ? 'null' : `'${op.scope}'`}, status: ${op.status}, public: ${op.isPublic} },\n`;
  }
  out += '} as const;\n\n';
  out += '/** The id of a `/v1` operation (its OpenAPI `operationId`). */\n';
  out += 'export type OperationId = keyof typeof OPERATIONS;\n\n';
  out += '/** Path parameters, query, body and success answer of each operation (`never`: none). */\n';
  out += 'export interface OperationTypes {\n';
  for (const op of ops) {
    const params =
      op.pathParams.length === 0 ? 'never' : `{ ${op.pathParams.map((p) => `${p}: string`).join('; ')} }`;
    const query = op.query.length === 0 ? 'never' : `${pascal(op.id)}Query`;
    out += `  ${op.id}: { params: ${params}; query: ${query}; body: ${op.body ?? 'never'}; response: ${op.response} };\n`;
  }
  out += '}\n';
  return out;
}

/** Formats TypeScript source with the repository's Biome settings, as `pnpm lint` checks it. */
export function formatWithBiome(source: string): string {
  const biome = path.join(ROOT, 'node_modules/.bin/biome');
  const result = spawnSync(biome, ['format', `--stdin-file-path=${GENERATED_FILE}`], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`biome format failed: ${result.stderr}`);
  return result.stdout;
}

/** The generated file's content for the API as it is now. */
export function generatedSource(): string {
  return formatWithBiome(renderTypes(openApiDocument()));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(path.join(ROOT, GENERATED_FILE), generatedSource());
  process.stdout.write(`wrote ${GENERATED_FILE}\n`);
}
