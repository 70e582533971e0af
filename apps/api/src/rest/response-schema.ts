import { z } from 'zod';

type Json = { [key: string]: unknown };

/**
 * A route's zod output schema as the JSON Schema Fastify compiles into its response serializer
 * (fast-json-stringify): one generated function per route instead of `JSON.stringify` walking
 * the object, and no property outside the schema can reach the wire. zod's `X | null`
 * (`anyOf: [X, {type: 'null'}]`) becomes `type: [X's type, 'null']`, which the serializer
 * compiles directly (an `anyOf` would validate each value at run time).
 */
export function responseJsonSchema(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return simplify(json) as Json;
}

function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  const anyOf = object.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullIndex = anyOf.findIndex((branch) => (branch as Json)?.type === 'null');
    const other = anyOf[1 - nullIndex] as Json | undefined;
    if (nullIndex >= 0 && other && typeof other.type === 'string') {
      const { anyOf: _, ...rest } = object;
      return simplify({ ...rest, ...other, type: [other.type, 'null'] });
    }
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) out[key] = simplify(value);
  return out;
}
