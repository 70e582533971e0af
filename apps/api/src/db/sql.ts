/**
 * A PostgreSQL array literal for a `?::text[]` parameter. MikroORM expands a JS array
 * parameter into a parenthesised list, which is right for `in (?)` but not for array
 * functions (`unnest`, `= any`), so arrays go over the wire as one quoted literal.
 */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
}
