/**
 * Key scopes (§4): what a key may do with the API it was issued for. Never confused with the
 * admin roles of the SPA, which live elsewhere.
 *
 * Grammar: `resource:action`, both parts `[a-z][a-z0-9_-]*`, or the wildcard `resource:*`.
 * `admin:*` is the wildcard that grants everything. Nothing is normalised: `Keys:read`,
 * ` keys:read` and `keys:` are invalid, not silently fixed, so the string checked is the
 * string stored.
 */

/** Longest scope string: a guard for stored and user-supplied input, far above real scopes. */
export const SCOPE_MAX_LENGTH = 128;

/** The scope that grants every scope, including every wildcard. */
export const ADMIN_SCOPE = 'admin:*';

/**
 * Scopes of Keysmith's own management API (§5). Every space's catalog contains them
 * ({@link normalizeScopeCatalog}); changing them breaks existing keys.
 */
export const RESERVED_SCOPES = ['keys:read', 'keys:write', 'keys:delete', 'keys:verify'] as const;
/** One of {@link RESERVED_SCOPES}. */
export type ReservedScope = (typeof RESERVED_SCOPES)[number];

/** A valid scope split into its parts. */
export interface ParsedScope {
  readonly resource: string;
  /** The action, or `'*'` for a wildcard. */
  readonly action: string;
  /** `true` for `resource:*`. */
  readonly wildcard: boolean;
}

/** No quantified class contains `:`, so the split point is unique and matching is linear. */
const SCOPE_REGEX = /^([a-z][a-z0-9_-]*):([a-z][a-z0-9_-]*|\*)$/;

/** Splits a scope into resource and action, or returns `null` when it breaks the grammar. */
export function parseScope(scope: string): ParsedScope | null {
  if (typeof scope !== 'string' || scope.length > SCOPE_MAX_LENGTH) return null;
  const match = SCOPE_REGEX.exec(scope);
  const resource = match?.[1];
  const action = match?.[2];
  if (resource === undefined || action === undefined) return null;
  return { resource, action, wildcard: action === '*' };
}

/** Whether `scope` follows the grammar (wildcards included) and fits {@link SCOPE_MAX_LENGTH}. */
export function isValidScope(scope: string): boolean {
  return parseScope(scope) !== null;
}

/**
 * Whether a key holding `held` may do what `required` names:
 * - `admin:*` grants everything, wildcards included;
 * - `res:*` grants `res:*` and every `res:action` (same resource, compared whole: `key:*`
 *   grants nothing of `keys:`);
 * - a plain scope grants exactly itself (`keys:reader` does not grant `keys:read`);
 * - a wildcard requirement is granted only by an equal or broader wildcard, never by plain
 *   scopes, however many.
 * Invalid strings on either side grant and are granted nothing.
 */
export function scopeGrants(held: string, required: string): boolean {
  const have = parseScope(held);
  const need = parseScope(required);
  if (have === null || need === null) return false;
  if (held === ADMIN_SCOPE) return true;
  if (have.wildcard) return have.resource === need.resource;
  return !need.wildcard && held === required;
}

/** Result of {@link hasScopes}: `missing` lists each ungranted requirement once, in request order. */
export type ScopeCheck = { readonly ok: true } | { readonly ok: false; readonly missing: string[] };

/**
 * Whether the `held` scopes together grant every `required` scope (each requirement must be
 * granted by at least one held scope, see {@link scopeGrants}). No requirements: granted.
 */
export function hasScopes(held: readonly string[], required: readonly string[]): ScopeCheck {
  const missing: string[] = [];
  for (const need of required) {
    if (missing.includes(need)) continue;
    if (!held.some((have) => scopeGrants(have, need))) missing.push(need);
  }
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}

/**
 * The canonical form of a space's scope catalog: the reserved scopes added, duplicates
 * removed, sorted by code unit (ASCII order, the same in every runtime). Throws a `TypeError`
 * naming the invalid entries, since a catalog is validated on input and an invalid entry
 * here is a bug, not user error.
 */
export function normalizeScopeCatalog(list: readonly string[]): string[] {
  const invalid = list.filter((scope) => !isValidScope(scope));
  if (invalid.length > 0) {
    throw new TypeError(`normalizeScopeCatalog: invalid scopes ${JSON.stringify(invalid)}`);
  }
  return [...new Set([...RESERVED_SCOPES, ...list])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Whether one catalog entry lets a key of the space hold `scope` (§4):
 * - an entry allows itself (a plain scope, a wildcard, or `admin:*`);
 * - a resource wildcard `res:*` also allows every `res:action`;
 * - `admin:*` in a catalog allows only `admin:*` itself: a catalog that lists it does not
 *   thereby accept made-up scopes such as `foo:bar`.
 * Invalid strings allow and are allowed nothing.
 */
export function catalogAllows(entry: string, scope: string): boolean {
  const have = parseScope(entry);
  const want = parseScope(scope);
  if (have === null || want === null) return false;
  if (entry === scope) return true;
  return have.wildcard && entry !== ADMIN_SCOPE && !want.wildcard && have.resource === want.resource;
}

/**
 * The scopes of `scopes` that a key in a space with this catalog may not hold, each once, in
 * order: a key scope is allowed iff it is reserved or some catalog entry allows it
 * ({@link catalogAllows}). So a key may be narrower than the catalog, never broader, and
 * invalid scopes are never allowed.
 */
export function scopesOutsideCatalog(scopes: readonly string[], catalog: readonly string[]): string[] {
  const outside: string[] = [];
  for (const scope of scopes) {
    if (outside.includes(scope)) continue;
    const allowed =
      (RESERVED_SCOPES as readonly string[]).includes(scope) ||
      catalog.some((entry) => catalogAllows(entry, scope));
    if (!allowed) outside.push(scope);
  }
  return outside;
}

/**
 * The scopes of `requested` that a key holding `held` may not grant to a key it creates or
 * updates (§4, scopes never escalate): every requested scope must be granted by a held one
 * ({@link scopeGrants}), so `admin:*` may grant anything, `res:*` any `res:…`, a plain scope
 * only itself. Each listed once, in order.
 */
export function scopesNotGrantable(held: readonly string[], requested: readonly string[]): string[] {
  const check = hasScopes(held, requested);
  return check.ok ? [] : check.missing;
}

/** Whether a key may hold all of `scopes` in a space with this catalog (rule: {@link scopesOutsideCatalog}). */
export function isSubsetOfCatalog(scopes: readonly string[], catalog: readonly string[]): boolean {
  return scopesOutsideCatalog(scopes, catalog).length === 0;
}
