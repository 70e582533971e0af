import { isValidScope, RESERVED_SCOPES, SCOPE_MAX_LENGTH } from '@keysmith/domain';

/**
 * The scope catalog editor's rules, mirroring the server (space.schemas.ts): every entry
 * follows the §4 grammar, the reserved `keys:*` scopes are always present and cannot be
 * removed, and a catalog holds at most 500 scopes.
 */

export const CATALOG_MAX_SCOPES = 500;

export function isReservedScope(scope: string): boolean {
  return (RESERVED_SCOPES as readonly string[]).includes(scope);
}

/** The scopes a space admin chose (the reserved ones are implied), in catalog order. */
export function customScopes(catalog: readonly string[]): string[] {
  return sortScopes(catalog.filter((scope) => !isReservedScope(scope)));
}

/** ASCII order, the order the server stores. */
export function sortScopes(scopes: readonly string[]): string[] {
  return [...scopes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Splits what was typed or pasted into candidate scopes: commas, spaces and new lines separate. */
export function splitScopeInput(text: string): string[] {
  return text.split(/[\s,;]+/).filter((part) => part.length > 0);
}

export type ScopeAddition = { ok: true; scopes: string[] } | { ok: false; message: string };

/** Why one candidate scope cannot be added, or `null` when it can. */
export function scopeProblem(scope: string, current: readonly string[]): string | null {
  if (scope.length > SCOPE_MAX_LENGTH) return `A scope has at most ${SCOPE_MAX_LENGTH} characters`;
  if (!isValidScope(scope)) {
    if (isValidScope(scope.toLowerCase())) {
      return `Scopes are lowercase: use "${scope.toLowerCase()}" instead of "${scope}"`;
    }
    return `"${scope}" is not a valid scope: use resource:action or resource:* in lowercase, e.g. orders:read`;
  }
  if (isReservedScope(scope)) return `"${scope}" is reserved and always in the catalog`;
  if (current.includes(scope)) return `"${scope}" is already in the catalog`;
  return null;
}

/**
 * Checks what the user typed into "Add scope": one or several scopes, each new and valid.
 * The first problem is reported, naming the offending entry, and nothing is added.
 */
export function addScopes(text: string, current: readonly string[]): ScopeAddition {
  const candidates = [...new Set(splitScopeInput(text))];
  if (candidates.length === 0) return { ok: false, message: 'Enter a scope such as orders:read' };
  for (const scope of candidates) {
    const problem = scopeProblem(scope, current);
    if (problem) return { ok: false, message: problem };
  }
  if (current.length + candidates.length + RESERVED_SCOPES.length > CATALOG_MAX_SCOPES) {
    return { ok: false, message: `A catalog has at most ${CATALOG_MAX_SCOPES} scopes` };
  }
  return { ok: true, scopes: sortScopes([...current, ...candidates]) };
}

/** Whether two catalogs hold the same scopes (order aside), to know if the editor is dirty. */
export function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((scope) => set.has(scope));
}
