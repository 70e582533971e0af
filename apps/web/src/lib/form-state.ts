import type { FieldErrors } from './validation';

/**
 * The pure steps behind `useForm` (see use-form.ts), kept apart so they can be tested without
 * a browser: applying a change (with the form's derived values), live revalidation, and
 * putting a server's field errors under the form's fields.
 */

/** Recomputes other values when one changes (e.g. a new space drops the scopes its catalog lacks). */
export type Derive<V> = (next: V, changed: keyof V, previous: V) => V;

/** The values after `field` is set to `value`, with `derive` applied. */
export function applyChange<V, K extends keyof V>(previous: V, field: K, value: V[K], derive?: Derive<V>): V {
  const next = { ...previous, [field]: value };
  return derive ? derive(next, field, previous) : next;
}

/**
 * The errors to show after a change, once the form has been submitted: `form` re-checks every
 * field (for forms with cross-field rules); `field` re-checks only the field that changed and
 * keeps the others' messages (a server's "already taken" stays until that field is edited).
 */
export function revalidate<F extends string>(
  mode: 'field' | 'form',
  current: FieldErrors<F>,
  found: FieldErrors<F>,
  changed: string,
): FieldErrors<F> {
  if (mode === 'form') return found;
  const updated = { ...current };
  const message = found[changed as F];
  if (message) updated[changed as F] = message;
  else delete updated[changed as F];
  return updated;
}

/** A server's field errors sorted into the form's fields, and messages for paths it has no field for. */
export interface MappedServerErrors<F extends string> {
  errors: FieldErrors<F>;
  other: string[];
}

/** The default mapping: a server path names a form field when it is one, exactly. */
export function mapByName<F extends string>(
  fields: Record<string, string>,
  isField: (name: string) => name is F,
): MappedServerErrors<F> {
  const errors: FieldErrors<F> = {};
  const other: string[] = [];
  for (const [name, message] of Object.entries(fields)) {
    if (isField(name)) errors[name] = message;
    else other.push(message);
  }
  return { errors, other };
}

/**
 * Maps dotted input paths (`rateLimit.perSecond`, `scopes.2`, `patch.name`) through `paths`:
 * a leading `patch.` is dropped, and an indexed path (`ipAllowlist.3`) falls back to its list's
 * entry, with `indexed` able to reword the message. The first message for a field wins.
 */
export function mapByPath<F extends string>(
  fields: Record<string, string>,
  paths: Readonly<Record<string, F>>,
  indexed?: (field: F, index: number, message: string) => string,
): MappedServerErrors<F> {
  const errors: FieldErrors<F> = {};
  const other: string[] = [];
  for (const [rawPath, message] of Object.entries(fields)) {
    const path = rawPath.replace(/^patch\./, '');
    const parts = path.split('.');
    const index = parts.length === 2 && /^\d+$/.test(parts[1] ?? '') ? Number(parts[1]) : null;
    const field = paths[index === null ? path : (parts[0] ?? path)];
    if (!field) {
      other.push(message);
      continue;
    }
    if (errors[field]) continue;
    errors[field] = index !== null && indexed ? indexed(field, index, message) : message;
  }
  return { errors, other };
}

/**
 * The alert's message for a failed call: a message for a path the form has no field for, else
 * the error's own message unless it already stands under a field.
 */
export function formErrorOf<F extends string>(message: string, mapped: MappedServerErrors<F>): string | null {
  const shownUnderField = Object.values(mapped.errors).includes(message);
  return mapped.other[0] ?? (shownUnderField ? null : message);
}
