/**
 * Rules for text that comes from outside (§5): names, descriptions, search strings, ids,
 * cursors. PostgreSQL cannot store a NUL in `text`, a lone UTF-16 surrogate has no UTF-8
 * form, and other control characters make logs, CSV exports and terminals lie. So text
 * fields refuse them at the edge, and fields that only record what a client sent (a verify
 * call's `endpoint`) replace them instead ({@link sanitizeText}).
 *
 * Shared by the API (which enforces), the SPA (which explains before a round trip) and the SDK.
 */

/** Why a string is refused, or null when it is acceptable. */
export type UnsafeTextReason = 'control' | 'surrogate';

/** Every Unicode control character (general category Cc): C0, DEL and C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Cc except tab, line feed and carriage return: what a multi-line text field refuses. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE_GLOBAL = new RegExp(LONE_SURROGATE.source, 'g');
const CONTROL_GLOBAL = new RegExp(CONTROL.source, 'g');

export interface TextRuleOptions {
  /** Allow tab, line feed and carriage return (descriptions typed in a text area). */
  multiline?: boolean;
}

/** Why `text` may not be stored as given, or null when it may. */
export function unsafeTextReason(text: string, options: TextRuleOptions = {}): UnsafeTextReason | null {
  if ((options.multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL).test(text)) return 'control';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return null;
}

/** Whether `text` holds no control character (see {@link TextRuleOptions}) and no lone surrogate. */
export function isSafeText(text: string, options: TextRuleOptions = {}): boolean {
  return unsafeTextReason(text, options) === null;
}

/** The message a user sees for a refused field, the same in the API and the SPA. */
export function unsafeTextMessage(reason: UnsafeTextReason): string {
  return reason === 'control'
    ? 'Must not contain control characters (such as NUL)'
    : 'Must be valid Unicode text (it contains a lone surrogate)';
}

/**
 * `text` with every control character and lone surrogate replaced by U+FFFD, for fields that
 * record what a client sent rather than refuse it. Idempotent; returns `text` itself when it
 * is already safe (no allocation on the common path).
 */
export function sanitizeText(text: string): string {
  if (!CONTROL.test(text) && !LONE_SURROGATE.test(text)) return text;
  return text.replace(CONTROL_GLOBAL, '\ufffd').replace(LONE_SURROGATE_GLOBAL, '\ufffd');
}

/** Where {@link findUnsafeText} found a refused string. */
export interface UnsafeTextLocation {
  /** Property names and array indexes from the root to the string (object keys count too). */
  path: (string | number)[];
  reason: UnsafeTextReason;
}

export interface FindUnsafeTextOptions {
  /**
   * Refuse every control character, not only NUL: for values that are never multi-line
   * (path parameters, query strings). Default false.
   */
  allControls?: boolean;
  /** Nesting deeper than this counts as unsafe at that point. Default 32. */
  maxDepth?: number;
}

/**
 * The first string in `value` (a parsed JSON body, query or path parameters) that holds a
 * NUL or a lone surrogate (or any control character, with `allControls`), object keys
 * included; null when there is none. This is the catch-all guard in front of every handler:
 * PostgreSQL rejects both, so no such string may reach a query whatever field it is in.
 * (Other control characters in bodies are refused per field, since some fields, such as
 * descriptions, may hold line breaks.) Nesting deeper than `maxDepth` counts as unsafe at
 * that point, so a hostile document cannot exhaust the stack.
 */
export function findUnsafeText(
  value: unknown,
  options: FindUnsafeTextOptions = {},
): UnsafeTextLocation | null {
  const maxDepth = options.maxDepth ?? 32;
  const stringDanger = options.allControls ? (text: string) => unsafeTextReason(text) : nulOrSurrogate;
  const path: (string | number)[] = [];
  const visit = (node: unknown, depth: number): UnsafeTextReason | null => {
    if (typeof node === 'string') return stringDanger(node);
    if (node === null || typeof node !== 'object') return null;
    if (depth >= maxDepth) return 'control';
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const found = visit(node[i], depth + 1);
        if (found) return found;
        path.pop();
      }
      return null;
    }
    for (const [key, child] of Object.entries(node)) {
      path.push(key);
      const found = stringDanger(key) ?? visit(child, depth + 1);
      if (found) return found;
      path.pop();
    }
    return null;
  };
  const reason = visit(value, 0);
  return reason ? { path, reason } : null;
}

/** NUL or a lone surrogate: what no database column can take. */
function nulOrSurrogate(text: string): UnsafeTextReason | null {
  if (text.includes('\u0000')) return 'control';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return null;
}
